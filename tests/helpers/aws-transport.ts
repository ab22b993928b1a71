// Puts the fake AWS beneath the SDK: as the clients' HTTP handler, or as a local HTTP server for AWS_ENDPOINT_URL.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { HttpResponse, type HttpHandler, type HttpRequest } from "@smithy/core/protocols";
import type { FakeAws, FakeReply, FakeRequest } from "./aws-fake";
import { TEST_CREDENTIALS } from "./aws-clients";

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString("utf8");
  }
  throw new Error(`the fake cannot read a request body of type ${typeof body}`);
}

/** What Node's HTTP handler throws when a request times out; the SDK classifies it as transient. */
function timeoutError(): Error {
  return Object.assign(new Error("Injected timeout: the request took too long"), { name: "TimeoutError" });
}

/** The SDK's request as the fake reads it. */
export async function toFakeRequest(request: HttpRequest): Promise<FakeRequest> {
  const query = new URLSearchParams(Object.entries(request.query ?? {}).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v ?? ""]]))).toString();
  return { method: request.method, host: request.hostname, path: query === "" ? request.path : `${request.path}?${query}`, headers: request.headers, body: await bodyText(request.body) };
}

/** The fake's reply as the SDK's HTTP handler gives it (an injected timeout throws, as Node's handler does). */
export function toHttpResponse(reply: FakeReply): { response: HttpResponse } {
  if ("timeout" in reply) throw timeoutError();
  // A stream, as Node's HTTP handler gives: the SDK reads streaming bodies (S3 GetObject) only from one.
  return { response: new HttpResponse({ statusCode: reply.status, headers: reply.headers, body: Readable.from([Buffer.from(reply.body)]) }) };
}

/** An SDK requestHandler answering from the fake: below retry, signing and (de)serialization, like the network. */
export function fakeRequestHandler(fake: FakeAws): HttpHandler {
  return {
    handle: async (request: HttpRequest) => toHttpResponse(fake.handle(await toFakeRequest(request))),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
}

export interface FakeServer {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL. */
  url: string;
  close(): Promise<void>;
}

/** Serves the fake over HTTP on a free local port; an injected timeout drops the connection (ECONNRESET). */
export async function startFakeServer(fake: FakeAws): Promise<FakeServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await bodyText(req);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const reply = fake.handle({ method: req.method ?? "GET", host: (req.headers.host ?? "").replace(/:\d+$/, ""), path: req.url ?? "/", headers, body });
      if ("timeout" in reply) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, reply.headers).end(reply.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** What a Lambda in `region` needs to reach the fake server instead of AWS: region, endpoint, credentials. */
export function fakeEndpointEnv(server: FakeServer, region: string): Record<string, string> {
  return { AWS_REGION: region, AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey };
}
