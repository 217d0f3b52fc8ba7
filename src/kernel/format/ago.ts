/**
 * Times told as "N minutes ago", and text that tells them as of a later moment: a TimedText (its
 * pieces and the times between them) is filled in when shown. Pure.
 */

/** "2 hours ago", "3 days ago", "just now". A TimeMarks `now` gives a mark instead. */
export function ago(then: Date, now: Date): string {
  if (now instanceof TimeMarks) return now.mark(then);
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "at an unknown time";
  if (seconds < 0) return "in the future";
  if (seconds < 45) return "just now";
  const units: [number, string][] = [
    [86400 * 365, "year"],
    [86400 * 30, "month"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round(seconds / size);
      return `${n} ${name}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}

/** Every text `ago` gives, wherever it stands in a text. */
const AGO_TEXT =
  /\bjust now\b|\bin the future\b|\bat an unknown time\b|\b\d+ (?:year|month|day|hour|minute)s? ago\b/g;

/** `text` with whatever `ago` wrote taken out, so answers rendered at two moments compare equal. */
export function withoutTimes(text: string): string {
  return text.replace(AGO_TEXT, "\u0000");
}

/** A text with times in it: `texts[0]`, then how long ago `times[0]` was, `texts[1]`, … */
export interface TimedText {
  texts: string[];
  times: string[];
}

export function fillTimes(text: TimedText, now: Date): string {
  let out = text.texts[0] ?? "";
  text.times.forEach((iso, i) => out += ago(new Date(iso), now) + (text.texts[i + 1] ?? ""));
  return out;
}

/**
 * A `now` under which `ago` writes a mark for each time, to make a TimedText again; marks are
 * letters and digits holding a random word no user text can pass for.
 */
export class TimeMarks extends Date {
  readonly #word = Array.from(crypto.getRandomValues(new Uint8Array(6)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  readonly #times: string[] = [];

  mark(then: Date): string {
    const index = this.#times.push(Number.isNaN(then.getTime()) ? "" : then.toISOString()) - 1;
    return `Zq${this.#word}${String(index).padStart(4, "0")}qZ`;
  }

  /** A whole mark, its number captured. */
  #whole(flags = ""): RegExp {
    return new RegExp(`Zq${this.#word}(\\d{4,})qZ`, flags);
  }

  /** What a cut to fit leaves where it went through a mark: its start, two letters of the word. */
  #cut(): RegExp {
    return new RegExp(`Zq${this.#word.slice(0, 2)}[0-9a-fqZ]*`, "g");
  }

  /** The text cut at its marks; null when a cut to fit went through one. */
  timedText(text: string): TimedText | null {
    const pieces = text.split(this.#whole());
    const texts = pieces.filter((_, i) => i % 2 === 0);
    if (texts.some((piece) => this.#cut().test(piece))) return null;
    const times = pieces.filter((_, i) => i % 2 === 1).map((n) => this.#times[Number(n)]);
    return times.every((time) => time !== undefined) ? { texts, times } : null;
  }

  /** The text as of this moment: each mark filled in, what a cut left of one taken out. */
  filled(text: string): string {
    const now = new Date(this.getTime());
    return text.replace(
      this.#whole("g"),
      (_, n: string) => ago(new Date(this.#times[Number(n)] ?? ""), now),
    ).replace(this.#cut(), "");
  }
}
