/**
 * Reads a Server-Sent Events byte stream into the `data:` payload of each event. Handles events split
 * across chunks, CRLF line ends and multi-line data (joined with "\n"); comments and other fields are skipped.
 */
export async function* readSseData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.search(/\r\n|\n|\r/)) !== -1) {
      const line = buffered.slice(0, newline);
      const skip = buffered.startsWith('\r\n', newline) ? 2 : 1;
      buffered = buffered.slice(newline + skip);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
  buffered += decoder.decode();
  if (buffered.startsWith('data:')) data.push(buffered.slice(buffered.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) yield data.join('\n');
}
