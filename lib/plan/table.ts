/**
 * Column alignment for the printed plan and for Markdown tables. Markdown tables come out the
 * way Prettier prints them (every column padded to its widest cell, at least 3), so that
 * `prettier --check` accepts the generated docs/pipeline.md as it is.
 */

/** Width of a cell as Prettier counts it, for the narrow characters the plan prints. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

function columnWidths(rows: readonly (readonly string[])[], min: number): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? min, width(cell))));
  }
  return widths;
}

/** Widths of every column but the last cell of each row, which needs no padding. */
function leadingWidths(rows: readonly (readonly string[])[]): number[] {
  return columnWidths(
    rows.map((row) => row.slice(0, -1)),
    0,
  );
}

/**
 * Rows as aligned plain-text lines, columns two spaces apart. A row's last cell is not padded
 * and does not widen its column, so a one-cell row can serve as a heading.
 */
export function textTable(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = leadingWidths(rows);
  return rows.map((row) =>
    `${indent}${row.map((cell, i) => pad(cell, widths[i])).join('  ')}`.trimEnd(),
  );
}

/** A GitHub-flavoured Markdown table; `|` in a cell is escaped. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = columnWidths(cells, 3);
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => pad(cell, widths[i])).join(' | ')} |`;
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join(
    '\n',
  );
}
