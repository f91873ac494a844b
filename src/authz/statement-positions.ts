// Where each statement of a policy document sits in its text (1-based line and column of its first
// and last character), for the simulator's MatchedStatements as IAM reports them. A small scanner
// over already-validated JSON: it walks the top-level object to "Statement" and measures its
// elements without building anything.

export interface Position {
  readonly Line: number;
  readonly Column: number;
}

export interface StatementSpan {
  readonly start: Position;
  readonly end: Position;
}

/** Spans of the statements in order; empty if the text is not the expected shape. */
export function statementPositions(text: string): StatementSpan[] {
  const offsets = statementOffsets(text);
  if (offsets.length === 0) return [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) lineStarts.push(i + 1);
  const at = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { Line: lo + 1, Column: offset - (lineStarts[lo] as number) + 1 };
  };
  return offsets.map(([s, e]) => ({ start: at(s), end: at(e) }));
}

function statementOffsets(text: string): Array<[number, number]> {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const string = (): string | undefined => {
    if (text[i] !== '"') return undefined;
    const start = ++i;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    const raw = text.slice(start, i);
    i++;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  /** Skips any value; returns the offset of its last character. */
  const value = (): number => {
    ws();
    const c = text[i];
    if (c === '"') {
      string();
      return i - 1;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return i++;
      for (;;) {
        if (c === '{') {
          ws();
          string();
          ws();
          i++; // ':'
        }
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return i++;
      }
    }
    const start = i;
    while (i < text.length && !',}] \t\r\n'.includes(text[i] as string)) i++;
    return Math.max(start, i - 1);
  };

  ws();
  if (text[i] !== '{') return [];
  i++;
  for (;;) {
    ws();
    if (text[i] === '}' || i >= text.length) return [];
    const name = string();
    ws();
    i++; // ':'
    ws();
    if (name !== 'Statement') {
      value();
    } else if (text[i] === '[') {
      const spans: Array<[number, number]> = [];
      i++;
      ws();
      if (text[i] === ']') return [];
      for (;;) {
        ws();
        const start = i;
        const end = value();
        spans.push([start, end]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return spans;
      }
    } else {
      const start = i;
      return [[start, value()]];
    }
    ws();
    if (text[i] === ',') i++;
    else return [];
  }
}
