/**
 * Reads deploy/terraform/*.tf with HashiCorp's own HCL parser (@cdktn/hcl2json, a WebAssembly build) and
 * evaluates the small part of Terraform's expression language this stack uses, as `terraform plan` would
 * with a given set of variables: literals, `${...}` templates, references to variables, locals, `each.key`
 * and resource attributes, `tostring()`, `toset()`, and `<expr> == "<text>" ? <a> : <b>` (a resource's
 * `count` turned on by a variable). Attributes Google computes (a service's URL, an
 * account's e-mail) get the values Google documents for them. Anything else is refused with the expression
 * named, so a new construct in the .tf files makes the tests fail until this reader understands it, rather
 * than being read wrongly.
 */
import { convertFiles } from '@cdktn/hcl2json';

export type Block = Record<string, unknown>;

export interface TerraformFiles {
  /** type -> name -> the block's body. */
  resources: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  variables: Record<string, Block>;
  locals: Record<string, unknown>;
  outputs: Record<string, Block>;
}

export async function loadTerraform(dir: string): Promise<TerraformFiles> {
  // Every *.tf of the folder, merged the way Terraform reads a module; blocks are lists.
  const json = (await convertFiles(dir)) as {
    resource?: Record<string, Record<string, Block[]>>;
    data?: Record<string, Record<string, Block[]>>;
    variable?: Record<string, Block[]>;
    locals?: Record<string, unknown>[];
    output?: Record<string, Block[]>;
  };
  const single = (what: string, blocks: Block[]): Block => {
    if (blocks.length !== 1) throw new Error(`deploy/terraform: ${what} is defined ${blocks.length} times`);
    return blocks[0];
  };
  const byTypeAndName = (kind: string, source: Record<string, Record<string, Block[]>> = {}) =>
    Object.fromEntries(
      Object.entries(source).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([name, blocks]) => [name, single(`${kind} ${type}.${name}`, blocks)]))]),
    );
  const byName = (kind: string, source: Record<string, Block[]> = {}) => Object.fromEntries(Object.entries(source).map(([name, blocks]) => [name, single(`${kind} ${name}`, blocks)]));
  return {
    resources: byTypeAndName('resource', json.resource),
    data: byTypeAndName('data', json.data),
    variables: byName('variable', json.variable),
    outputs: byName('output', json.output),
    locals: Object.assign({}, ...(json.locals ?? [])) as Record<string, unknown>,
  };
}

/** The sample values Google's computed attributes get in an evaluation. */
export interface Environment {
  projectNumber: string;
  variables: Record<string, unknown>;
}

interface Scope {
  each?: { key: string };
}

/** `google_x.name["key"].attr`, `google_x.name[each.key].attr` -> parts. */
const REFERENCE = /^(data\.)?([a-z0-9_]+)\.([a-z0-9_]+)(?:\[(?:"([^"]+)"|(each\.key))\])?((?:\.[a-z0-9_]+|\[\d+\])*)$/;

export class Evaluator {
  constructor(
    readonly files: TerraformFiles,
    readonly environment: Environment,
  ) {}

  /** A value as hcl2json gives it (strings may hold `${...}` templates), fully evaluated. */
  value(raw: unknown, scope: Scope = {}): unknown {
    if (Array.isArray(raw)) return raw.map((item) => this.value(item, scope));
    if (raw !== null && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, this.value(item, scope)]));
    if (typeof raw !== 'string') return raw;
    const whole = /^\$\{([^{}]*)\}$/.exec(raw);
    if (whole) return this.expression(whole[1].trim(), scope);
    return raw.replace(/\$\{([^{}]*)\}/g, (_, inner: string) => String(this.expression(inner.trim(), scope)));
  }

  string(raw: unknown, scope: Scope = {}): string {
    const value = this.value(raw, scope);
    if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)} from ${JSON.stringify(raw)}`);
    return value;
  }

  variable(name: string): unknown {
    if (name in this.environment.variables) return this.environment.variables[name];
    const declared = this.files.variables[name];
    if (!declared) throw new Error(`var.${name} is not declared`);
    if (!('default' in declared)) throw new Error(`var.${name} has no default and the evaluation gave it no value`);
    return declared.default;
  }

  /** The keys of a resource's `for_each` (undefined when it has none). */
  forEachKeys(block: Block): string[] | undefined {
    if (!('for_each' in block)) return undefined;
    const value = this.value(block.for_each);
    if (Array.isArray(value)) return value.map(String);
    if (value !== null && typeof value === 'object') return Object.keys(value);
    throw new Error(`for_each: cannot enumerate ${JSON.stringify(block.for_each)}`);
  }

  /** How many instances a resource has: its `count`, or 1 without one (for_each aside). */
  count(block: Block): number {
    if (!('count' in block)) return 1;
    const value = this.value(block.count);
    if (typeof value !== 'number') throw new Error(`count: not a number: ${JSON.stringify(block.count)}`);
    return value;
  }

  private expression(text: string, scope: Scope): unknown {
    let match: RegExpExecArray | null;
    if ((match = /^(\S+)\s*==\s*"([^"]*)"\s*\?\s*(\S+)\s*:\s*(\S+)$/.exec(text))) {
      const branch = this.expression(match[1], scope) === match[2] ? match[3] : match[4];
      return /^-?\d+(\.\d+)?$/.test(branch) ? Number(branch) : this.expression(branch, scope);
    }
    if ((match = /^var\.(\w+)$/.exec(text))) return this.variable(match[1]);
    if ((match = /^local\.(\w+)$/.exec(text))) {
      if (!(match[1] in this.files.locals)) throw new Error(`local.${match[1]} is not defined`);
      return this.value(this.files.locals[match[1]], scope);
    }
    if (text === 'each.key') {
      if (!scope.each) throw new Error('each.key outside a for_each');
      return scope.each.key;
    }
    if ((match = /^tostring\((.*)\)$/.exec(text))) return String(this.expression(match[1].trim(), scope));
    if ((match = /^toset\((.*)\)$/.exec(text))) {
      const inner = match[1].trim();
      const list = inner.startsWith('[') ? (JSON.parse(inner) as unknown) : this.expression(inner, scope);
      if (!Array.isArray(list)) throw new Error(`toset(): not a list: ${inner}`);
      return [...new Set(list)];
    }
    if ((match = REFERENCE.exec(text))) {
      if (match[5] && !scope.each) throw new Error(`${text}: each.key outside a for_each`);
      return this.attribute(Boolean(match[1]), match[2], match[3], match[4] ?? (match[5] ? scope.each!.key : undefined), match[6]);
    }
    throw new Error(`the test's Terraform reader does not understand \${${text}}`);
  }

  /** A resource's (or data source's) attribute: its own argument if set there, else what Google computes. */
  private attribute(isData: boolean, type: string, name: string, key: string | undefined, path: string): unknown {
    const address = `${isData ? 'data.' : ''}${type}.${name}${key === undefined ? '' : `["${key}"]`}`;
    const block = (isData ? this.files.data : this.files.resources)[type]?.[name];
    if (!block) throw new Error(`${address} is not defined`);
    const keys = this.forEachKeys(block);
    if ((keys === undefined) !== (key === undefined) || (key !== undefined && !keys!.includes(key))) {
      throw new Error(`${address}: ${keys ? `for_each has ${JSON.stringify(keys)}` : 'has no for_each'}`);
    }
    const scope: Scope = key === undefined ? {} : { each: { key } };
    const attr = /^\.([a-z0-9_]+)/.exec(path)?.[1];
    if (attr === undefined || path !== `.${attr}`) throw new Error(`${address}${path}: only one attribute deep is understood`);
    if (attr in block && typeof block[attr] !== 'object') return this.value(block[attr], scope);
    return this.computed(address, type, block, attr, scope);
  }

  private computed(address: string, type: string, block: Block, attr: string, scope: Scope): string {
    const project = String(this.variable('project'));
    const own = (field: string) => this.string(block[field], scope);
    const key = `${type}.${attr}`;
    switch (key) {
      case 'google_project.number':
        return this.environment.projectNumber;
      case 'google_service_account.email':
        return `${own('account_id')}@${project}.iam.gserviceaccount.com`;
      case 'google_service_account.id':
      case 'google_service_account.name':
        return `projects/${project}/serviceAccounts/${own('account_id')}@${project}.iam.gserviceaccount.com`;
      case 'google_project_service_identity.email':
        // Google's service agents: service-<project number>@gcp-sa-<service>.iam.gserviceaccount.com.
        return `service-${this.environment.projectNumber}@gcp-sa-${own('service').replace('.googleapis.com', '')}.iam.gserviceaccount.com`;
      case 'google_cloud_run_v2_service.uri':
        // The deterministic URL (https://<service>-<project number>.<region>.run.app).
        return `https://${own('name')}-${this.environment.projectNumber}.${own('location')}.run.app`;
      case 'google_pubsub_topic.id':
        return `projects/${project}/topics/${own('name')}`;
      case 'google_secret_manager_secret.name':
        return `projects/${this.environment.projectNumber}/secrets/${own('secret_id')}`;
      default:
        throw new Error(`${address}.${attr}: the test's Terraform reader does not know what Google computes for it`);
    }
  }
}
