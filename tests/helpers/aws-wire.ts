// The AWS wire formats the fake speaks: query-protocol request parameters in, XML responses and errors out.

export type Params = ReadonlyMap<string, string>;

/** An error the fake service returns; the protocol decides how it is written. */
export class AwsFault extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
    this.name = "AwsFault";
  }
}

export function parseQuery(body: string): Map<string, string> {
  return new Map(new URLSearchParams(body).entries());
}

export function requireParam(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === "") throw new AwsFault("MissingParameter", 400, `The request must contain the parameter ${name}`);
  return value;
}

/**
 * The entries of a serialized list: `Prefix.N.rest` (EC2) or `Prefix.Member.N.rest` (query protocol), each
 * entry's parameters keyed by `rest` ("" for a list of scalars), in index order.
 */
export function listParam(params: Params, prefix: string): Map<string, string>[] {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escaped}\\.(?:[A-Za-z]+\\.)?(\\d+)(?:\\.(.+))?$`);
  const entries = new Map<number, Map<string, string>>();
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = entries.get(index) ?? new Map<string, string>();
    entry.set(match[2] ?? "", value);
    entries.set(index, entry);
  }
  return [...entries.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

/** Tags serialized as a list of Key/Value pairs. */
export function tagsParam(params: Params, prefix: string): Record<string, string> {
  return Object.fromEntries(listParam(params, prefix).map((t) => [t.get("Key") ?? "", t.get("Value") ?? ""]));
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An element with already-serialized children; undefined children are left out. */
export function el(name: string, ...children: (string | undefined)[]): string {
  return `<${name}>${children.filter((c) => c !== undefined).join("")}</${name}>`;
}

/** An element holding text, or nothing when the value is undefined. */
export function leaf(name: string, value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
export const RDS_NS = "http://rds.amazonaws.com/doc/2014-10-31/";
export const SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/";

export function ec2Response(action: string, requestId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${EC2_NS}"><requestId>${requestId}</requestId>${body}</${action}Response>`;
}

export function queryResponse(ns: string, action: string, requestId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${ns}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The error body each protocol uses: EC2's <Response><Errors>, query's <ErrorResponse>, S3's bare <Error>. */
export function errorBody(service: string, fault: AwsFault, requestId: string): string {
  const error = (extra = "") => `<Error>${extra}<Code>${escapeXml(fault.code)}</Code><Message>${escapeXml(fault.message)}</Message></Error>`;
  switch (service) {
    case "ec2":
      return `<?xml version="1.0" encoding="UTF-8"?><Response><Errors>${error()}</Errors><RequestID>${requestId}</RequestID></Response>`;
    case "s3":
      return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${escapeXml(fault.code)}</Code><Message>${escapeXml(fault.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
    default: {
      const ns = service === "rds" ? RDS_NS : SNS_NS;
      return `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${ns}">${error(`<Type>${fault.status >= 500 ? "Receiver" : "Sender"}</Type>`)}<RequestId>${requestId}</RequestId></ErrorResponse>`;
    }
  }
}

/** Opaque pagination tokens carrying an offset, as real tokens are opaque to callers. */
export function pageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

export function pageOffset(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"));
  if (!match) throw new AwsFault("InvalidParameterValue", 400, `Invalid pagination token ${token}`);
  return Number(match[1]);
}
