/**
 * A one-consumer queue between generation callbacks (which fire synchronously, any time) and the code
 * writing a stream (which awaits each write). `end` and `fail` close it; items pushed before stay readable.
 */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private error: unknown = undefined;
  private failed = false;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.closed = true;
    this.notify();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.failed = true;
    this.error = error;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      while (this.items.length > 0) yield this.items.shift() as T;
      if (this.closed) {
        if (this.failed) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
