// The fake AWS in bench mode: the project's FakeAws (tests/helpers/aws-fake.ts) behind an SDK request handler that
// takes a virtual 100-200 ms per call, enforces AWS's EC2 token buckets (tools/bench/ec2-buckets.ts) and logs every attempt with
// its answer. Each Lambda container gets its own handler: a killed invocation's calls never answer (frozen), as
// when Lambda stops a timed-out function.
import type { HttpHandler, HttpRequest } from "@smithy/core/protocols";
import { watchPacedCalls } from "../../handlers/kinds/clients";
import { createClients, type AwsClients } from "../../handlers/lib/clients";
import { tokenBucket, type Pace } from "../../handlers/lib/pace";
import type { SnapshotRate } from "../../handlers/lib/snapshot-rate";
import { FakeAws, type FakeReply } from "../helpers/aws-fake";
import { TEST_CREDENTIALS } from "../helpers/aws-clients";
import { seededRandom } from "../helpers/aws-faults";
import { toFakeRequest, toHttpResponse } from "../helpers/aws-transport";
import { AwsFault } from "../helpers/aws-wire";
import { Ec2Buckets } from "../../tools/bench/ec2-buckets";
import type { Container } from "../../tools/bench/invocation";
import type { VirtualClock } from "../../tools/bench/virtual-clock";

/** One attempt as the service answered it. */
export interface BenchCall {
  service: string;
  region: string;
  action: string;
  /** Virtual ms when the service acted on it. */
  at: number;
  status: number;
  /** The error code of a refused call (RequestLimitExceeded, ResourceLimitExceeded, ...). */
  code?: string;
  /** The request's parameters: kept for the actions in KEEP_PARAMS, and given to `afterCall`. */
  params?: ReadonlyMap<string, string>;
  /** The answer's body: given to `afterCall` only. */
  body?: string;
}

/** The calls whose parameters the scenarios read afterwards (which snapshot a delete or copy named). */
const KEEP_PARAMS = ["DeleteSnapshot", "CopySnapshot"];

const LATENCY_MS: readonly [number, number] = [100, 200];

export class BenchAws {
  readonly fake = new FakeAws();
  readonly calls: BenchCall[] = [];
  readonly buckets: Ec2Buckets;
  /** Runs after the service answered a call (the copy scenario schedules a copy's completion here). */
  afterCall?: (call: BenchCall) => void;
  private readonly random: () => number;

  constructor(
    readonly clock: VirtualClock,
    seed = 20,
  ) {
    this.buckets = new Ec2Buckets(() => clock.now());
    this.random = seededRandom(seed);
    // Checked where the service acts, at the virtual time the call arrives: an empty bucket refuses it.
    this.fake.permanent = (call) => (call.service === "ec2" && !this.buckets.take(call.region, call.action) ? new AwsFault("RequestLimitExceeded", 503, "Request limit exceeded.") : undefined);
  }

  private latency(): number {
    return LATENCY_MS[0] + this.random() * (LATENCY_MS[1] - LATENCY_MS[0]);
  }

  /** The request handler of one container: half the latency on the way in, half on the way back. */
  handler(container: Container): HttpHandler {
    const frozen = () => new Promise<never>(() => undefined);
    return {
      handle: async (request: HttpRequest) => {
        const fakeRequest = await toFakeRequest(request);
        const latency = this.latency();
        await this.clock.sleep(latency / 2);
        if (!container.alive) return frozen();
        const reply: FakeReply = this.fake.handle(fakeRequest);
        const handled = this.fake.calls.pop();
        // The fake's own log is not kept (this one is): thousands of calls' parameters would only load the heap.
        this.fake.calls.length = 0;
        if (handled !== undefined && !("timeout" in reply)) {
          const code = reply.status >= 400 ? /<Code>([^<]+)<\/Code>/.exec(reply.body)?.[1] : undefined;
          const call: BenchCall = { service: handled.service, region: handled.region, action: handled.action, at: this.clock.now(), status: reply.status, ...(code === undefined ? {} : { code }) };
          this.calls.push(call);
          this.afterCall?.({ ...call, params: handled.params, body: reply.body });
          if (KEEP_PARAMS.includes(call.action)) call.params = handled.params;
        }
        await this.clock.sleep(latency / 2);
        if (!container.alive) return frozen();
        return toHttpResponse(reply);
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    };
  }

  /** A container's clients of a region: the handlers' own factory, the SDK's standard retry (backoff on the virtual clock). */
  clients(container: Container, region: string): AwsClients {
    return createClients(region, { requestHandler: this.handler(container), credentials: TEST_CREDENTIALS });
  }

  /**
   * Clients and one pace of the snapshot calls per container and region, made once each, as the Lambda entries keep
   * them (handlers/backup.ts, cleanup.ts): the pace on the virtual clock, told of AWS's throttling by the clients.
   */
  pacedClients(rate: SnapshotRate): (container: Container, region: string) => { clients: AwsClients; pace: Pace } {
    const containers = new WeakMap<Container, Map<string, { clients: AwsClients; pace: Pace }>>();
    return (container, region) => {
      const regions = containers.get(container) ?? new Map<string, { clients: AwsClients; pace: Pace }>();
      containers.set(container, regions);
      const existing = regions.get(region);
      if (existing) return existing;
      const clients = this.clients(container, region);
      const created = { clients, pace: watchPacedCalls(clients, tokenBucket(rate.perSecond, rate.burst, this.clock)) };
      regions.set(region, created);
      return created;
    };
  }

  /** Attempts by action (optionally of one service and only those matching). */
  countBy(filter: (call: BenchCall) => boolean = () => true): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) if (filter(call)) counts[call.action] = (counts[call.action] ?? 0) + 1;
    return counts;
  }
}
