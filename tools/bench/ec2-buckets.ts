// AWS's EC2 request token buckets, enforced on the fake AWS in the benchmark: a call finding its bucket empty is
// answered RequestLimitExceeded (503) instead of reaching the service, as EC2 does.
//
// Source: "Request throttling for the Amazon EC2 API" (Amazon EC2 Developer Guide,
// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): buckets per account and region,
// each API evaluated on its own (request rate limiting), tokens refilled every second up to the bucket's size.
// The sizes and rates are the project's reading of that guide's tables (DESIGN.md, tools/forecast/api.ts):
//   - CreateSnapshot, CreateSnapshots and DeleteSnapshot share one snapshot bucket: 100 tokens, refill 5 a second;
//   - CopySnapshot, a mutating action: 50 tokens, refill 5 a second (in the destination region, where it is sent);
//   - every Describe* (non-mutating) action has a bucket of its own: 100 tokens, refill 20 a second.
// Other EC2 actions (CreateTags, the lock calls) and the other services are not throttled here.
import { EC2_BUCKETS } from "../forecast/api";

export interface BucketSize {
  burst: number;
  perSecond: number;
}

/** The non-mutating (Describe*) bucket of each action. */
export const DESCRIBE_BUCKET: BucketSize = { burst: 100, perSecond: 20 };
const SNAPSHOT_BUCKET: BucketSize = { burst: EC2_BUCKETS.snapshot.burst, perSecond: EC2_BUCKETS.snapshot.refillPerSecond };
const MUTATING_BUCKET: BucketSize = { burst: EC2_BUCKETS.mutating.burst, perSecond: EC2_BUCKETS.mutating.refillPerSecond };

const SNAPSHOT_ACTIONS = ["CreateSnapshot", "CreateSnapshots", "DeleteSnapshot"];

/** The bucket an EC2 action draws from (its name and size), or undefined when the benchmark does not throttle it. */
export function bucketOf(action: string): { name: string; size: BucketSize } | undefined {
  if (SNAPSHOT_ACTIONS.includes(action)) return { name: "snapshot", size: SNAPSHOT_BUCKET };
  if (action === "CopySnapshot") return { name: action, size: MUTATING_BUCKET };
  if (action.startsWith("Describe")) return { name: action, size: DESCRIBE_BUCKET };
  return undefined;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Every EC2 bucket of every region, full at first, refilled continuously at its rate. */
export class Ec2Buckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /** Takes a token for the call if there is one; false means RequestLimitExceeded. */
  take(region: string, action: string): boolean {
    const which = bucketOf(action);
    if (which === undefined) return true;
    const key = `${region}|${which.name}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: which.size.burst, updated: now };
    bucket.tokens = Math.min(which.size.burst, bucket.tokens + ((now - bucket.updated) / 1000) * which.size.perSecond);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
