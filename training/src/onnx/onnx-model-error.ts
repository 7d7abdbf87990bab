import { MimicbotFileError } from '../errors.js';

export type OnnxModelErrorCode = 'ONNX_UNREADABLE' | 'ONNX_BAD_TENSOR' | 'ONNX_EXTERNAL_DATA' | 'ONNX_MISSING_WEIGHT';

/** An ONNX file that cannot be read for its weights. */
export class OnnxModelError extends MimicbotFileError<OnnxModelErrorCode> {}
