// Sign-in for the portal: users with scrypt-hashed passwords in a JSON file of the data folder,
// sessions in memory behind an HttpOnly, SameSite=Lax cookie, and a CSRF token per session that
// every form carries. copkit has no users of its own: a user maps to a copkit actor, and copkit's
// permissions decide what that actor may read and do.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { promisify } from "node:util"

const scryptAsync = /** @type {(password: string, salt: Buffer, length: number) => Promise<Buffer>} */ (promisify(scrypt))

/**
 * @typedef {object} User
 * @property {string} username
 * @property {string} name
 * @property {string} passwordHash `scrypt$<salt hex>$<hash hex>`
 * @property {import("./app.mjs").PersonActor} actor
 */

/** @param {string} password */
export const hashPassword = async (password) => {
  const salt = randomBytes(16)
  const hash = await scryptAsync(password, salt, 32)
  return `scrypt$${salt.toString("hex")}$${hash.toString("hex")}`
}

/** @param {string} password @param {string} stored */
export const verifyPassword = async (password, stored) => {
  const [scheme, saltHex, hashHex] = stored.split("$")
  if (scheme !== "scrypt" || saltHex === undefined || hashHex === undefined) return false
  const expected = Buffer.from(hashHex, "hex")
  const actual = await scryptAsync(password, Buffer.from(saltHex, "hex"), expected.length)
  return timingSafeEqual(actual, expected)
}

/** The users of the portal, kept in one JSON file. @param {string} file */
export const userStore = (file) => {
  /** @type {Array<User>} */
  let users = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : []
  return {
    exists: () => existsSync(file),
    /** @param {ReadonlyArray<User>} list */
    save: (list) => {
      users = [...list]
      writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 })
    },
    /** @param {string} username */
    find: (username) => users.find((u) => u.username === username),
    all: () => users
  }
}

/**
 * @typedef {object} WebSession
 * @property {string} id
 * @property {string} csrf
 * @property {string | undefined} username
 * @property {number} expires
 * @property {string | undefined} [flash] a message shown once, on the next page
 */

export const cookieName = "portal_session"
const lifetime = 8 * 60 * 60 * 1000

/** Sessions in memory: a restart signs everyone out. */
export const sessionStore = () => {
  /** @type {Map<string, WebSession>} */
  const sessions = new Map()
  const create = (/** @type {string | undefined} */ username) => {
    /** @type {WebSession} */
    const session = { id: randomBytes(32).toString("base64url"), csrf: randomBytes(32).toString("base64url"), username, expires: Date.now() + lifetime }
    sessions.set(session.id, session)
    return session
  }
  return {
    create,
    /** @param {string | undefined} id */
    get: (id) => {
      if (id === undefined) return undefined
      const session = sessions.get(id)
      if (session === undefined || session.expires < Date.now()) {
        sessions.delete(id ?? "")
        return undefined
      }
      return session
    },
    /** A new session id at sign-in, so that a session id known before it is worth nothing. @param {WebSession} old @param {string} username */
    signIn: (old, username) => {
      sessions.delete(old.id)
      return create(username)
    },
    /** @param {string} id */
    end: (id) => void sessions.delete(id)
  }
}

/** @param {WebSession} session @param {boolean} secure */
export const sessionCookie = (session, secure) =>
  `${cookieName}=${session.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${lifetime / 1000}${secure ? "; Secure" : ""}`

/** @param {string | undefined} header */
export const parseCookies = (header) =>
  Object.fromEntries((header ?? "").split(";").flatMap((part) => {
    const i = part.indexOf("=")
    return i < 0 ? [] : [[part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim())]]
  }))

/** Compares the form's token with the session's, in constant time. @param {WebSession} session @param {unknown} token */
export const csrfValid = (session, token) => {
  if (typeof token !== "string") return false
  const a = Buffer.from(token)
  const b = Buffer.from(session.csrf)
  return a.length === b.length && timingSafeEqual(a, b)
}
