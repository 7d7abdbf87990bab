/** A line of a file: its text, or only its length when it was longer than the splitter keeps. */
export type SplitLine = { number: number; text: string } | { number: number; tooLongBytes: number };

/**
 * Splits bytes (pushed in chunks of any size) into UTF-8 lines at `\n`, numbered from 1. A line longer than
 * `maxLineBytes` is not kept: the splitter counts its bytes and drops them, so one huge line costs no memory,
 * and reports it for the caller to skip. A last line without a newline counts; an empty file has no lines.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private size = 0;
  private number = 1;
  private pending = false; // bytes of a line not yet ended

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: SplitLine) => void,
  ) {}

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(10, start);
      const end = newline === -1 ? bytes.length : newline;
      if (end > start) this.add(bytes.subarray(start, end));
      if (newline === -1) return;
      this.emit();
      start = newline + 1;
    }
  }

  end(): void {
    if (this.pending) this.emit();
  }

  private add(piece: Uint8Array): void {
    this.pending = true;
    this.size += piece.byteLength;
    if (this.size > this.maxLineBytes) this.parts = [];
    else this.parts.push(piece);
  }

  private emit(): void {
    const number = this.number++;
    if (this.size > this.maxLineBytes) this.onLine({ number, tooLongBytes: this.size });
    else this.onLine({ number, text: Buffer.concat(this.parts).toString('utf8') });
    this.parts = [];
    this.size = 0;
    this.pending = false;
  }
}
