/**
 * .github/workflows/deploy.yml runs the README's deploy path: it tests before it deploys, builds every
 * function that Terraform zips and the image with the model it is given, and keeps its inputs out of the
 * scripts' text (a workflow input pasted into `run:` is a script injection).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadTerraform, Evaluator } from './terraform.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; permissions?: Record<string, string>; steps: Step[]; env?: Record<string, string> }>;
}
const workflow = parseYaml(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8')) as Workflow;
const runs = (job: string) => workflow.jobs[job].steps.map((step) => step.run ?? '').join('\n');

describe('.github/workflows/deploy.yml', () => {
  it('runs the CI script, and deploys only after it passed', () => {
    expect(runs('test')).toContain('bash .ci/run');
    expect(workflow.jobs.deploy.needs).toBe('test');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('builds the image with cloudbuild.yaml and every function Terraform zips, then applies', async () => {
    const script = runs('deploy');
    expect(script).toMatch(/gcloud builds submit [^\n]*--config cloudbuild\.yaml/);
    const files = await loadTerraform(join(ROOT, 'deploy', 'terraform'));
    const tf = new Evaluator(files, { projectNumber: '1', variables: {} });
    for (const name of tf.forEachKeys(files.data.archive_file.function)!) expect(script).toContain(`-w functions/${name}`);
    expect(script).toMatch(/terraform apply [^\n]*-auto-approve/);
  });

  it('passes its inputs to the scripts as environment variables only', () => {
    for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps)) expect(step.run ?? '').not.toMatch(/\$\{\{/);
    expect(Object.values(workflow.jobs.deploy.env ?? {})).toContain('${{ inputs.model_uri }}');
  });
});
