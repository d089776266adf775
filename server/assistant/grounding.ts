/**
 * Figures (amounts, prices, dates, times, quantities) in an answer must come from its sources or the
 * CRM record: a model that invents "€49" or "March 3" is caught here, before anyone sends it.
 */
const FIGURE = /\d+(?:[.,:/-]\d+)*/g;

/** "1,200.00" and "1200.00" are one figure; trailing ".00" says nothing more. */
const normal = (figure: string) => figure.replace(/(?<=\d),(?=\d{3}\b)/g, '').replace(/[.,]0+$/, '');

export const figuresOf = (text: string): string[] => [...new Set((text.match(FIGURE) ?? []).map(normal))];

/** The figures of `answer` that appear in none of `context` (empty: grounded). */
export const ungroundedFigures = (answer: string, context: string[]): string[] => {
  // A figure's parts count too: "9" is grounded by "9:00", "2026" by "2026-03-01".
  const known = new Set(context.flatMap(figuresOf).flatMap((f) => [f, ...f.split(/[.,:/-]/)]));
  return figuresOf(answer).filter((f) => !known.has(f));
};
