// Errors the sandbox answers with: an HTTP status and Ongoing's `{message}` body.

export class SandboxHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxHttpError';
  }
}

export const notFound = (what: string) => new SandboxHttpError(404, `${what} was not found.`);
export const badRequest = (message: string, extra?: Record<string, unknown>) =>
  new SandboxHttpError(400, message, extra);
