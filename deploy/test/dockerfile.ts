/**
 * Reads the few things the image tests need from a Dockerfile: its ARG defaults and its COPY instructions,
 * with `${NAME}` expanded. Continuation lines and comments follow Docker's rules; the JSON form of COPY and
 * heredocs are refused rather than misread, so a test fails loudly if the Dockerfile starts using them.
 */
export interface CopyInstruction {
  line: number;
  /** The stage the instruction is in (its `AS` name, or its index). */
  stage: string;
  /** `--from=<stage>`, or undefined when it copies from the build context. */
  from?: string;
  sources: string[];
  destination: string;
}

export interface Dockerfile {
  /** Every ARG's default, global or in a stage (one value per name: a redefinition with another default is refused). */
  argDefaults: Record<string, string>;
  copies: CopyInstruction[];
  /** WORKDIR of each stage, by stage name. */
  workdirs: Record<string, string>;
  /** ENV of each stage, by stage name (values expanded). */
  envs: Record<string, Record<string, string>>;
  /** The last stage's name: the image. */
  finalStage: string;
}

interface Instruction {
  line: number;
  keyword: string;
  rest: string;
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    if (pending) pending.rest += ` ${body}`;
    else {
      const match = /^(\S+)\s*(.*)$/.exec(body);
      if (!match) return;
      pending = { line: index + 1, keyword: match[1].toUpperCase(), rest: match[2] };
    }
    if (!continued) {
      result.push({ ...pending, rest: pending.rest.trim() });
      pending = undefined;
    }
  });
  if (pending) result.push(pending);
  return result;
}

export function expand(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    if (!(name in args)) throw new Error(`Dockerfile: ${whole} is not an ARG with a default`);
    return args[name];
  });
}

export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const argDefaults: Record<string, string> = {};
  const copies: CopyInstruction[] = [];
  const workdirs: Record<string, string> = {};
  const envs: Record<string, Record<string, string>> = {};
  let stage = '';
  let stageIndex = -1;
  for (const { line, keyword, rest } of instructions(text)) {
    if (rest.includes('<<')) throw new Error(`Dockerfile:${line}: heredocs are not understood by this test's reader`);
    if (keyword === 'FROM') {
      stageIndex += 1;
      stage = /\bAS\s+(\S+)/i.exec(rest)?.[1] ?? String(stageIndex);
    } else if (keyword === 'ARG') {
      const equals = rest.indexOf('=');
      if (equals < 0) continue;
      const name = rest.slice(0, equals);
      const value = rest.slice(equals + 1);
      if (name in argDefaults && argDefaults[name] !== value) throw new Error(`Dockerfile:${line}: ARG ${name} has two defaults`);
      argDefaults[name] = value;
    } else if (keyword === 'WORKDIR') {
      workdirs[stage] = rest;
    } else if (keyword === 'ENV') {
      for (const pair of rest.split(/\s+/)) {
        const equals = pair.indexOf('=');
        if (equals < 0) throw new Error(`Dockerfile:${line}: only the ENV NAME=value form is understood by this test's reader`);
        (envs[stage] ??= {})[pair.slice(0, equals)] = expand(pair.slice(equals + 1), { ...argDefaults, ...buildArgs });
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      if (rest.startsWith('[')) throw new Error(`Dockerfile:${line}: the JSON form of ${keyword} is not understood by this test's reader`);
      const words = rest.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--')).map((word) => expand(word, { ...argDefaults, ...buildArgs }));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      copies.push({ line, stage, from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] });
    }
  }
  return { argDefaults, copies, workdirs, envs, finalStage: stage };
}
