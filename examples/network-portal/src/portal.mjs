// Starts the portal: seeds the demo data on the first start, builds the copkit client, starts the
// dispatcher (the e-mails with their calendar invitations go out in the background) and the server.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ICalendar } from "@copkit/calendar-ical"
import { Client } from "@copkit/core"
import { createPortal } from "./app.mjs"
import { hashPassword, userStore } from "./auth.mjs"
import { clientOptions, storage } from "./config.mjs"
import { demoPassword, demoUsers, seed } from "./seed.mjs"

/** Requests to erase personal data, kept in a JSON file until the coordinator handles them. @param {string} file */
const erasureRequests = (file) => {
  /** @type {Array<import("./app.mjs").ErasureRequest>} */
  let list = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : []
  const save = () => writeFileSync(file, JSON.stringify(list, null, 2), { mode: 0o600 })
  return {
    /** @param {import("./app.mjs").ErasureRequest} request */
    add: (request) => {
      list = [...list.filter((r) => r.personId !== request.personId), request]
      save()
    },
    all: () => list,
    /** @param {string} personId */
    remove: (personId) => {
      list = list.filter((r) => r.personId !== personId)
      save()
    }
  }
}

/** Who reads a feed: the token is the credential, so the portal reads it as a system job. */
const feedReader = /** @type {const} */ ({ _tag: "System", name: "portal-feed" })

/**
 * @param {import("./config.mjs").PortalConfig} config
 * @param {{ port?: number, host?: string, log?: (line: string) => void }} [options]
 */
export const startPortal = async (config, options = {}) => {
  const log = options.log ?? console.log
  mkdirSync(config.dataDirectory, { recursive: true })
  const users = userStore(join(config.dataDirectory, "users.json"))
  let seeded
  if (!users.exists()) {
    // the story's own client: the same storage, its clock set back to the story's days
    seeded = await seed((now) => Client.make({ storage: storage(config), now }))
    users.save(await Promise.all(demoUsers.map(async (u) => ({ ...u, passwordHash: await hashPassword(demoPassword) }))))
    log(`demo data written; sign in as ${demoUsers.map((u) => u.username).join(", ")} with the password "${demoPassword}"`)
  }
  const client = Client.make(clientOptions(config))
  client.dispatcher.start()
  const server = createPortal({
    client,
    users,
    secureCookies: config.secureCookies ?? false,
    erasureRequests: erasureRequests(join(config.dataDirectory, "erasure-requests.json")),
    feed: async (token) => {
      const content = await client.feeds.feed(feedReader, { token })
      return ICalendar.renderFeed(content.name, content.events)
    }
  })
  await new Promise((resolve) => server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => resolve(undefined)))
  const address = server.address()
  const url = `http://${options.host ?? "127.0.0.1"}:${typeof address === "object" && address !== null ? address.port : options.port}`
  return {
    url,
    client,
    seeded,
    close: async () => {
      await new Promise((resolve) => server.close(() => resolve(undefined)))
      await client.dispose()
    }
  }
}
