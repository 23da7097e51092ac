// What a specification says about one endpoint, and the scalar formats both specifications use.
import { z } from 'zod';

export interface EndpointSpec {
  /** Where the models come from: repository, file, model and method names. */
  source: string;
  /** The success answer's schema, or 'no-content' where the specification documents no body. */
  response: z.ZodType | 'no-content';
  /** The request body's schema, for endpoints that take one. */
  request?: z.ZodType;
  /**
   * The query parameters the specification declares (values as sent: strings, a repeated key as an array). Absent:
   * the endpoint declares none, so any query key is an error.
   */
  query?: z.ZodType;
}

/** Query values: what a declared parameter's value must look like on the wire. */
export const q = {
  str: z.string().optional(),
  int: z
    .string()
    .regex(/^-?\d+$/, { error: 'expected an integer' })
    .optional(),
  bool: z.enum(['true', 'false']).optional(),
  /** A list parameter: repeated keys, or (Fortnox) one comma-separated value. */
  list: z.union([z.string(), z.array(z.string())]).optional(),
};

/** OpenAPI `@format date`: `YYYY-MM-DD`. */
export const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date (YYYY-MM-DD)' });

/** OpenAPI `@format date-time` / Python `datetime.datetime` (parsed with `isoparse`, which also reads a bare date). */
export const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, {
    error: 'expected an ISO 8601 date-time',
  });

/** OpenAPI `@format uuid`. */
export const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'expected a uuid' });

/** `@format int32` / `int64` / Python `int`. */
export const int = z.number().int();
