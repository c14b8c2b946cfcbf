/**
 * The ranking of a programme's themes from the core team's votes.
 *
 * The method is a **points sum** (score voting): every voter gives each theme 0 to 10 points, a
 * theme's score is the sum of its points. It fits the model, where a vote is one voter's points for
 * one theme: members may vote on some themes only, a theme proposed later does not invalidate the
 * votes cast before (a Borda count would need every voter to rank every theme again), and it is
 * monotone: more points for a theme never lower its place. Ties are broken the same way every time:
 * more supporters (voters who gave it at least one point) first, then the earlier proposal, then the
 * smaller id. Withdrawn themes are not ranked.
 *
 * @since 0.1.0
 */
import type { ThemeId } from "./Ids.js"
import type { Theme, ThemeScope, Vote } from "./Programme.js"

/** One theme's place in the ranking. @category models */
export interface RankedTheme {
  /** 1 for the first; every theme gets its own place (ties are broken, see the module). */
  readonly rank: number
  readonly themeId: ThemeId
  readonly title: string
  readonly scope: ThemeScope
  /** The sum of the points given. */
  readonly points: number
  /** How many voters gave the theme at least one point. */
  readonly supporters: number
  /** How many voters voted on the theme, zero points included. */
  readonly voters: number
}

const later = (a: Vote, b: Vote): boolean =>
  a.castAt.getTime() > b.castAt.getTime() || (a.castAt.getTime() === b.castAt.getTime() && a.points > b.points)

/**
 * The latest vote of each voter: a voter who votes again replaces their vote (at the same instant,
 * the higher score counts, so that the order of the list never matters).
 *
 * @category rules
 */
export const latestVotes = (votes: ReadonlyArray<Vote>): ReadonlyArray<Vote> => {
  const byVoter = new Map<string, Vote>()
  for (const v of votes) {
    const previous = byVoter.get(v.voter)
    if (previous === undefined || later(v, previous)) byVoter.set(v.voter, v)
  }
  return [...byVoter.values()]
}

/** A theme's score: its points sum and its supporters. @category rules */
export const score = (theme: Theme): { readonly points: number; readonly supporters: number; readonly voters: number } => {
  const votes = latestVotes(theme.votes)
  return {
    points: votes.reduce((sum, v) => sum + v.points, 0),
    supporters: votes.filter((v) => v.points > 0).length,
    voters: votes.length
  }
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The order of the ranking: points, then supporters (both descending), then proposal time, then id. @category rules */
export const compare = (a: Theme, b: Theme): number => {
  const sa = score(a)
  const sb = score(b)
  return sb.points - sa.points ||
    sb.supporters - sa.supporters ||
    a.proposedAt.getTime() - b.proposedAt.getTime() ||
    compareStrings(a.id, b.id)
}

/** Ranks the themes that are not withdrawn. A pure function: the order of votes and themes does not matter. @category rules */
export const rank = (themes: ReadonlyArray<Theme>): ReadonlyArray<RankedTheme> =>
  themes
    .filter((t) => !t.withdrawn)
    .slice()
    .sort(compare)
    .map((t, i) => {
      const s = score(t)
      return {
        rank: i + 1,
        themeId: t.id,
        title: t.title,
        scope: t.scope,
        points: s.points,
        supporters: s.supporters,
        voters: s.voters
      }
    })
