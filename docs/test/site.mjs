// Browses the built docs site (docs/site) in Debian's Chromium with playwright-core: the home page
// loads, the getting-started guide is one click away, search finds a guide by a word in its text and
// a method by a word in its doc comment, and an API page shows its example. Screenshots go to
// docs/test/artifacts/. Builds the site first when it is missing. Usage: node docs/test/site.mjs
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs"
import { createServer } from "node:http"
import { extname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"

const root = fileURLToPath(new URL("../..", import.meta.url))
const site = join(root, "docs", "site")
const artifacts = join(root, "docs", "test", "artifacts")
mkdirSync(artifacts, { recursive: true })
if (!existsSync(join(site, "index.html"))) {
  console.log("docs/site is missing: building it (pnpm run docs)")
  execFileSync("pnpm", ["run", "docs"], { cwd: root, stdio: "inherit" })
}

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" }
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "")
  let file = join(site, path)
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html")
  if (!file.startsWith(site) || !existsSync(file)) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file))
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)))
const address = server.address()
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
})
let passed = 0
let failed = 0
const check = async (name, f) => {
  try {
    await f()
    passed += 1
    console.log(`  ok    ${name}`)
  } catch (error) {
    failed += 1
    console.log(`  FAIL  ${name}: ${error instanceof Error ? error.message : error}`)
  }
}
const expect = (condition, message) => {
  if (!condition) throw new Error(message)
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })

  /** Types a query in typedoc's search box and returns the result titles with their links. */
  const search = async (query) => {
    await page.goto(base)
    await page.click("#tsd-search-trigger").catch(() => page.click("#tsd-search"))
    const field = page.locator("#tsd-search-input, #tsd-search-field").first()
    await field.fill(query)
    await page.waitForSelector("#tsd-search-results li a", { timeout: 10_000 })
    return page.$$eval("#tsd-search-results li a", (as) => as.map((a) => ({ text: a.textContent ?? "", href: a.getAttribute("href") ?? "" })))
  }

  await check("the home page loads, with the project name once", async () => {
    const response = await page.goto(base)
    expect(response?.ok(), `status ${response?.status()}`)
    expect((await page.title()).includes("copkit"), `title ${await page.title()}`)
    const headings = await page.$$eval("h1", (hs) => hs.map((h) => h.textContent?.trim()))
    expect(headings.filter((h) => h === "copkit").length === 1, `h1s ${JSON.stringify(headings)}`)
    expect(!(await page.locator('a[href$="documents/index.html"]').count()), "a stray index page is linked")
    await page.screenshot({ path: join(artifacts, "home.png"), fullPage: true })
  })

  await check("the getting-started guide is one click from the home page", async () => {
    await page.goto(base)
    await page.locator(".col-content a", { hasText: "Getting started" }).first().click()
    await page.waitForLoadState()
    expect(page.url().endsWith("documents/Getting_started.html"), page.url())
    expect(await page.locator("text=effect@^3.22").count() > 0, "the install line names effect@^3.22")
    await page.screenshot({ path: join(artifacts, "getting-started.png"), fullPage: true })
  })

  await check("search finds a guide by a word in its text", async () => {
    const results = await search("optimistic")
    await page.screenshot({ path: join(artifacts, "search-guide.png") })
    expect(results.some((r) => r.href.includes("Set_up_storage")), JSON.stringify(results))
  })

  await check("search finds a method by a word in its doc comment", async () => {
    // a word that is in the method's comment and in no name: with an @example on every method,
    // a common word ("criterion") ranks the many names that hold it above the comment
    const results = await search("exploratory")
    await page.screenshot({ path: join(artifacts, "search-method.png") })
    console.log(`        results: ${results.slice(0, 5).map((r) => r.href).join(", ")}`)
    expect(results.some((r) => /IntakeService\.html#scheduleexploration$/i.test(r.href)), JSON.stringify(results))
  })

  await check("an API page shows its example", async () => {
    await page.goto(`${base}variables/_copkit_core.Common.Email.html`)
    const example = page.locator("pre code", { hasText: "decodeUnknownSync" })
    expect(await example.count() > 0, "no example code on the page")
    await page.screenshot({ path: join(artifacts, "api-example.png"), fullPage: true })
  })

  await check("a literal-union type shows its values", async () => {
    await page.goto(`${base}types/_copkit_core.Person.HelixRole.html`)
    const signature = await page.locator(".tsd-signature").first().textContent()
    expect(signature?.includes('"Entrepreneur"') && signature.includes('"Knowledge"'), signature ?? "")
  })
} finally {
  await browser.close()
  server.close()
}
console.log(`docs site: ${passed} passed, ${failed} failed (screenshots in ${artifacts})`)
process.exit(failed === 0 ? 0 : 1)
