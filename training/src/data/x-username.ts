/**
 * X's rule for a username: 1 to 15 letters, digits and underscores. A name that keeps to it is also safe as
 * a file name, which is why a username (typed by the user or read from an archive) may name an output file
 * only after passing this.
 */
export function isXUsername(name: string): boolean {
  return /^\w{1,15}$/.test(name);
}
