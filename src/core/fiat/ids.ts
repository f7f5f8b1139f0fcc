// The valuation item ids of a trace's figures (the table in ./trace.ts), apart from the valuation
// code: the JSON renderer names items by them on every run, with or without --fiat.
export const edgeItemId = (edge: string, which: 'value' | 'tainted') => `edge:${edge}:${which}`;
export const terminalItemId = (index: number, asOf = false) => `terminal:${index}${asOf ? ':as-of' : ''}`;
