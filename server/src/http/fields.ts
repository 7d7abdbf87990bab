import { invalidField } from './errors.js';

interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
}

/**
 * Typed reads of request fields, each failure a 400 naming the field. `null` counts as absent (OpenAI
 * clients send it). With `coerceStrings` (query strings, and gpt-2-cloud-run, which ran `int(...)` on
 * JSON values too) "5" reads as 5 and "true" as true.
 */
export class Fields {
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly coerceStrings = false,
  ) {}

  has(name: string): boolean {
    return this.source[name] !== undefined && this.source[name] !== null;
  }

  number(name: string, fallback: number, rule: NumberRule): number {
    return this.optionalNumber(name, rule) ?? fallback;
  }

  optionalNumber(name: string, rule: NumberRule): number | undefined {
    if (!this.has(name)) return undefined;
    let value = this.source[name];
    if (this.coerceStrings && typeof value === 'string' && value.trim() !== '') value = Number(value);
    const kind = rule.integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidField(name, `must be ${kind}`);
    if (rule.integer && !Number.isInteger(value)) throw invalidField(name, `must be ${kind}`);
    if (value < rule.min || value > rule.max) throw invalidField(name, `must be ${kind} from ${rule.min} to ${rule.max}`);
    return value;
  }

  optionalString(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.source[name];
    if (typeof value !== 'string') throw invalidField(name, 'must be a string');
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    if (!this.has(name)) return fallback;
    const value = this.source[name];
    if (typeof value === 'boolean') return value;
    if (this.coerceStrings && typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    throw invalidField(name, 'must be true or false');
  }

  /** A string or an array of strings (OpenAI's `stop`). */
  stringList(name: string, maxItems: number): string[] {
    if (!this.has(name)) return [];
    const value = this.source[name];
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      throw invalidField(name, 'must be a string or an array of strings');
    }
    if (list.length > maxItems) throw invalidField(name, `at most ${maxItems} items`);
    if (list.some((item) => item === '')) throw invalidField(name, 'items must not be empty');
    return list;
  }

  raw(name: string): unknown {
    return this.has(name) ? this.source[name] : undefined;
  }
}

/** The sampling fields both APIs read the same way (OpenAI's extensions, gpt-2-cloud-run's own). */
export function readSharedSampling(fields: Fields): { topK: number; repetitionPenalty: number; seed: number | undefined } {
  return {
    topK: fields.number('top_k', 0, { min: 0, max: 1_000_000, integer: true }),
    repetitionPenalty: fields.number('repetition_penalty', 1, { min: 0.01, max: 100 }),
    seed: fields.optionalNumber('seed', { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, integer: true }),
  };
}
