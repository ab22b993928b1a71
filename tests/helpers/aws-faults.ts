// Fault injection for the fake AWS: transient faults (throttling, 5xx, timeouts) on a seeded share of calls.
import { AwsFault } from "./aws-wire";

export type TransientFault = "throttle" | "500" | "503" | "timeout";

export interface FaultPlan {
  /** Share of calls (0-1) answered with a transient fault instead of reaching the service. */
  rate: number;
  kinds: readonly TransientFault[];
  /** Seed of the pseudo-random sequence: the same seed injects the same faults into the same calls. */
  seed: number;
}

/** Deterministic PRNG (mulberry32) in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error each service really answers for a fault kind (EC2 throttles with 503 RequestLimitExceeded). */
export function transientError(service: string, kind: Exclude<TransientFault, "timeout">): AwsFault {
  const codes: Record<string, Record<typeof kind, [string, number]>> = {
    ec2: { throttle: ["RequestLimitExceeded", 503], "500": ["InternalError", 500], "503": ["Unavailable", 503] },
    rds: { throttle: ["Throttling", 400], "500": ["InternalFailure", 500], "503": ["ServiceUnavailable", 503] },
    s3: { throttle: ["SlowDown", 503], "500": ["InternalError", 500], "503": ["ServiceUnavailable", 503] },
    sns: { throttle: ["Throttling", 400], "500": ["InternalError", 500], "503": ["ServiceUnavailable", 503] },
  };
  const [code, status] = (codes[service] ?? codes.sns)[kind];
  return new AwsFault(code, status, `Injected ${kind} fault`);
}

/** Decides, call by call, whether and how to fail. */
export class FaultInjector {
  private readonly random: () => number;
  readonly injected: Record<TransientFault, number> = { throttle: 0, "500": 0, "503": 0, timeout: 0 };

  constructor(private readonly plan: FaultPlan) {
    this.random = seededRandom(plan.seed);
  }

  next(): TransientFault | undefined {
    if (this.random() >= this.plan.rate) return undefined;
    const kind = this.plan.kinds[Math.floor(this.random() * this.plan.kinds.length)];
    this.injected[kind] += 1;
    return kind;
  }

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }
}

/** How an answer is lost after the service acted: the connection drops (timeout, or a reset over HTTP), or a 500. */
export type LostAnswer = "timeout" | "500";

/** Mutating calls: creates, copies, deletes, writes and publishes. */
const MUTATING = /^(Create|Copy|Delete|Modify|Put|Publish|Register|Start)/;

export interface LostAnswerPlan {
  /** Share of matching calls (0-1) that the service performs and then answers with a lost answer. */
  rate: number;
  kinds: readonly LostAnswer[];
  seed: number;
  /** The actions whose answers may be lost (default: every mutating action). */
  actions?: readonly string[];
}

/** Decides, call by call, whether the answer to a call the service performed is lost. */
export class AnswerLoser {
  private readonly random: () => number;
  readonly lost: Record<string, number> = {};

  constructor(private readonly plan: LostAnswerPlan) {
    this.random = seededRandom(plan.seed);
  }

  next(action: string): LostAnswer | undefined {
    const applies = this.plan.actions === undefined ? MUTATING.test(action) : this.plan.actions.includes(action);
    if (!applies || this.random() >= this.plan.rate) return undefined;
    this.lost[action] = (this.lost[action] ?? 0) + 1;
    return this.plan.kinds[Math.floor(this.random() * this.plan.kinds.length)];
  }
}
