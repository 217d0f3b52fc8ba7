/** Terminal styling that degrades to plain text when colour is off. */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

const colored: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const plainText = (s: string) => s;
const plain: Style = {
  bold: plainText,
  dim: plainText,
  red: plainText,
  green: plainText,
  yellow: plainText,
  cyan: plainText,
};

export function style(color: boolean): Style {
  return color ? colored : plain;
}
