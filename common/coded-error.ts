// Every error that crosses a component boundary carries a stable code.
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function errorCode(err: unknown): string {
  return err instanceof CodedError ? err.code : 'INTERNAL';
}
