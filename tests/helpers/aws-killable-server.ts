// The fake AWS over HTTP for one Lambda invocation that is killed mid-way (a deployed archive cannot take the
// in-process killableClients of run-steps.ts): once `kill(handled)` says so after a call was handled (AWS acted; `handled`
// is every call this server passed to the fake, that one last), that call's
// answer and every later request's never come, so the invocation freezes where it was, as a stopped process does.
// `refuse()` then answers every held and later request with a 403 (no retry, no "lost answer" look-up) so the abandoned
// invocation settles at once without reaching the fake; the test awaits it before its environment is restored.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeAws, FakeCall } from "./aws-fake";

export interface KillableServer {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL. */
  url: string;
  /** The calls this server passed to the fake (AWS acted on them), in order. */
  handled: FakeCall[];
  /** Resolves when the kill happened (the request that met `kill()` was handled and its answer held). */
  killed: Promise<void>;
  isKilled(): boolean;
  /** Answers every held and later request with a 403 AccessDenied. */
  refuse(): void;
  close(): Promise<void>;
}

const DENIED = "<Error><Code>AccessDenied</Code><Message>the invocation was killed</Message></Error>";

export async function startKillableServer(fake: FakeAws, kill: (handled: readonly FakeCall[]) => boolean): Promise<KillableServer> {
  let isKilled = false;
  let refused = false;
  let onKilled: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (onKilled = resolve));
  const held: http.ServerResponse[] = [];
  const handled: FakeCall[] = [];
  const deny = (res: http.ServerResponse) => res.writeHead(403, { "content-type": "text/xml" }).end(DENIED);
  const hold = (res: http.ServerResponse) => {
    if (refused) deny(res);
    else held.push(res);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (isKilled) {
        hold(res);
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const reply = fake.handle({ method: req.method ?? "GET", host: (req.headers.host ?? "").replace(/:\d+$/, ""), path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") });
      handled.push(fake.calls[fake.calls.length - 1]);
      if (kill(handled)) {
        isKilled = true;
        onKilled();
        hold(res);
        return;
      }
      if ("timeout" in reply) req.socket.destroy();
      else res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    handled,
    killed,
    isKilled: () => isKilled,
    refuse: () => {
      refused = true;
      for (const res of held.splice(0)) deny(res);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
