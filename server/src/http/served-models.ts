import type { CacheDeps } from '../service/cached-completions.js';
import type { ServiceDeps } from '../service/completions.js';
import { ApiError } from './errors.js';
import type { ModelDetails } from './deps.js';

/** One served model as the routes use it: its id, what /v1/models says about it, and its service. */
export interface RouteModel {
  id: string;
  details?: ModelDetails;
  /** The model's engine (with its backlog counted), tokenizer and encoder, and the shared completion cache. */
  service: ServiceDeps & CacheDeps;
}

/** A requested model name is echoed back at most this long (it is the caller's text). */
const MAX_ECHOED_MODEL = 100;

/** The models a server answers for, in sorted order, and the one a request without `model` gets. */
export class ServedModels {
  private readonly byId: ReadonlyMap<string, RouteModel>;

  constructor(
    readonly list: readonly RouteModel[],
    readonly fallback: RouteModel,
    /**
     * A server on one model folder answers whatever `model` says, as it did before it could serve several
     * (clients must send some name, and the functions send their MODEL_NAME); a folder of models insists.
     */
    private readonly anyNameIsTheModel = false,
  ) {
    this.byId = new Map(list.map((model) => [model.id, model]));
  }

  /** `model` as the request gave it (undefined: absent); an id not served is a 404 naming the ones that are. */
  pick(requested: string | undefined): RouteModel {
    if (requested === undefined) return this.fallback;
    const model = this.byId.get(requested) ?? (this.anyNameIsTheModel ? this.fallback : undefined);
    if (!model) throw modelNotFound(requested, this.list.map((m) => m.id));
    return model;
  }
}

/** OpenAI's answer to an unknown model: 404, code `model_not_found`, `param` "model". */
function modelNotFound(requested: string, served: readonly string[]): ApiError {
  const shown = requested.length > MAX_ECHOED_MODEL ? `${requested.slice(0, MAX_ECHOED_MODEL)}...` : requested;
  return new ApiError(404, 'invalid_request_error', 'model_not_found', `model: ${JSON.stringify(shown)} is not served here; this server serves ${served.map((id) => JSON.stringify(id)).join(', ')}`, 'model');
}
