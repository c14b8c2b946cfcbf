/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, a field quoted with
 * double quotes when it holds a comma, a quote, a line break or leading/trailing spaces, and a
 * quote inside doubled.
 *
 * Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and some also tab or
 * carriage return) as a formula ("CSV injection"). {@link encode} therefore prefixes such a cell
 * with a single quote `'`: the cell shows as text and the original value stays readable. This
 * changes those cells' values by one leading character; {@link decode} does not undo it.
 *
 * @since 0.1.0
 */

/** A cell value; `undefined` is written as an empty field. @category models */
export type Cell = string | number | boolean | undefined

/** Whether a cell would start a formula in a spreadsheet. @category rules */
export const isFormulaLike = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell)

/** Prefixes a formula-like cell with `'` so that spreadsheets show it as text. @category rules */
export const neutralise = (cell: string): string => (isFormulaLike(cell) ? `'${cell}` : cell)

/** Quotes a field when RFC 4180 requires it (comma, quote, CR or LF) or when it has outer spaces. @category rules */
export const quote = (field: string): string =>
  /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, "\"\"")}"` : field

const text = (cell: Cell): string => (cell === undefined ? "" : typeof cell === "string" ? cell : String(cell))

/** One record: its cells neutralised and quoted, joined by commas (no line break). @category encoding */
export const record = (cells: ReadonlyArray<Cell>): string => cells.map((c) => quote(neutralise(text(c)))).join(",")

/** A whole file: the header and the rows, each record ended by CRLF. @category encoding */
export const encode = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [header, ...rows].map((r) => `${record(r)}\r\n`).join("")

/**
 * Parses RFC 4180 text into records of fields (quoted fields may hold commas, quotes and line
 * breaks). Accepts LF as well as CRLF; a final line break does not start a record.
 *
 * @category decoding
 */
export const decode = (input: string): ReadonlyArray<ReadonlyArray<string>> => {
  const records: Array<Array<string>> = []
  let fields: Array<string> = []
  let field = ""
  let quoted = false
  let i = 0
  let started = false
  while (i < input.length) {
    const c = input[i]!
    if (quoted) {
      if (c === "\"") {
        if (input[i + 1] === "\"") {
          field += "\""
          i += 2
          continue
        }
        quoted = false
        i += 1
        continue
      }
      field += c
      i += 1
      continue
    }
    if (c === "\"" && field === "") {
      quoted = true
      started = true
      i += 1
    } else if (c === ",") {
      fields.push(field)
      field = ""
      started = true
      i += 1
    } else if (c === "\r" || c === "\n") {
      fields.push(field)
      records.push(fields)
      fields = []
      field = ""
      started = false
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1
    } else {
      field += c
      started = true
      i += 1
    }
  }
  if (started || field !== "" || fields.length > 0) {
    fields.push(field)
    records.push(fields)
  }
  return records
}
