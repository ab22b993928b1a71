// An in-memory AWS (EC2, RDS, S3, SNS, Step Functions, Cost Explorer) that answers signed SDK requests over the real wire formats.
// It sits below the SDK's retry layer (as its HTTP handler or an HTTP server), so faults it injects are retried
// by the SDK's own strategy, exactly as AWS's would be.
import { CE_CONTENT_TYPE, FakeCostExplorer, ceAction } from "./aws-fake-ce";
import { CLEANUP_ACTIONS } from "./aws-fake-cleanup";
import { COPY_ACTIONS } from "./aws-fake-copy";
import { DRILL_ACTIONS } from "./aws-fake-drill";
import { ec2Action } from "./aws-fake-ec2";
import type { FakeAction } from "./aws-fake-extensions";
import { LOCK_ACTIONS } from "./aws-fake-lock";
import { rdsAction } from "./aws-fake-rds";
import { RESTORE_ACTIONS } from "./aws-fake-restore";
import { SUBNET_ACTIONS } from "./aws-fake-subnets";
import { RegionState } from "./aws-fake-state";
import { FakeStepFunctions, SFN_CONTENT_TYPE, sfnAction, sfnErrorBody, sfnParams } from "./aws-fake-sfn";
import { s3Action, s3Request, snsAction } from "./aws-fake-storage";
import { AnswerLoser, FaultInjector, transientError, type FaultPlan, type LostAnswer, type LostAnswerPlan } from "./aws-faults";
import { AwsFault, RDS_NS, SNS_NS, ec2Response, errorBody, parseQuery, queryResponse, type Params } from "./aws-wire";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";

export interface FakeRequest {
  method: string;
  host: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type FakeReply = { status: number; headers: Record<string, string>; body: string } | { timeout: true };

export interface FakeCall {
  service: string;
  region: string;
  action: string;
  params: Params;
  /** The SDK's attempt number for this call (1 = first try), from the amz-sdk-request header. */
  attempt: number;
  /** The transient fault injected instead of handling the call, if any. */
  fault?: string;
  /** The call was handled (AWS acted) and then its answer was lost this way. */
  lost?: LostAnswer;
}

export class FakeAws {
  readonly calls: FakeCall[] = [];
  /** Most items one page returns: AWS may return fewer than MaxResults, which forces small fleets onto many pages. */
  readonly pageCap = { ec2: 1000, rds: 100 };
  /** A permanent error for matching calls, returned on every attempt. */
  permanent?: (call: FakeCall) => AwsFault | undefined;
  /** Runs just before a call that reached the service is handled (e.g. to delete a source mid-run). */
  beforeHandle?: (call: FakeCall, region: RegionState) => void;
  /** Step Functions (JSON 1.0 protocol): state machines and scripted executions of every region. */
  readonly sfn = new FakeStepFunctions();
  /** Cost Explorer (JSON 1.1 protocol, one endpoint): the month's scripted cost groups. */
  readonly ce = new FakeCostExplorer();
  private faults?: FaultInjector;
  private losing?: AnswerLoser;
  private readonly regions = new Map<string, RegionState>();

  region(name = REGION): RegionState {
    const existing = this.regions.get(name);
    if (existing) return existing;
    const created = new RegionState(name, ACCOUNT_ID);
    this.regions.set(name, created);
    return created;
  }

  /** Starts injecting transient faults on a share of calls (undefined stops); returns the injector to read counts from. */
  injectFaults(plan: FaultPlan | undefined): FaultInjector | undefined {
    this.faults = plan && new FaultInjector(plan);
    return this.faults;
  }

  /** Starts losing the answers of a share of mutating calls after performing them (undefined stops). */
  loseAnswers(plan: LostAnswerPlan | undefined): AnswerLoser | undefined {
    this.losing = plan && new AnswerLoser(plan);
    return this.losing;
  }

  /** Calls that reached the service (no injected fault), optionally of one action. */
  handled(action?: string): FakeCall[] {
    return this.calls.filter((c) => c.fault === undefined && (action === undefined || c.action === action));
  }

  handle(request: FakeRequest): FakeReply {
    const header = (name: string) => Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
    // The SigV4 credential scope names the service and region: .../<date>/<region>/<service>/aws4_request.
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(header("authorization"));
    if (!scope) return { status: 403, headers: {}, body: "<Error><Code>MissingAuthenticationToken</Code><Message>unsigned request</Message></Error>" };
    const [, regionName, service] = scope;
    const json = service === "states" || service === "ce";
    const params = service === "s3" ? new Map<string, string>() : json ? sfnParams(request.body) : parseQuery(request.body);
    const action = service === "s3" ? s3Action(request.method, request.path) : service === "ce" ? ceAction(header("x-amz-target")) : json ? sfnAction(header("x-amz-target")) : (params.get("Action") ?? "");
    const attempt = Number(/attempt=(\d+)/.exec(header("amz-sdk-request"))?.[1] ?? "1");
    const call: FakeCall = { service, region: regionName, action, params, attempt };
    this.calls.push(call);
    const requestId = `req-${this.calls.length}`;
    const contentType = service === "ce" ? CE_CONTENT_TYPE : json ? SFN_CONTENT_TYPE : "text/xml";
    const fail = (fault: AwsFault): FakeReply => ({ status: fault.status, headers: { "content-type": contentType, "x-amzn-requestid": requestId }, body: json ? sfnErrorBody(fault) : errorBody(service, fault, requestId) });

    const injected = this.faults?.next();
    if (injected !== undefined) {
      call.fault = injected;
      return injected === "timeout" ? { timeout: true } : fail(transientError(service, injected));
    }
    const region = this.region(regionName);
    try {
      const permanent = this.permanent?.(call);
      if (permanent) throw permanent;
      this.beforeHandle?.(call, region);
      const answer = { status: 200, headers: { "content-type": contentType, "x-amzn-requestid": requestId }, ...this.dispatch(request, call, region, requestId) };
      call.lost = this.losing?.next(action);
      if (call.lost === "timeout") return { timeout: true };
      if (call.lost === "500") return fail(transientError(service, "500"));
      return answer;
    } catch (error) {
      if (error instanceof AwsFault) return fail(error);
      throw error;
    }
  }

  private extension(service: string, action: string): FakeAction | undefined {
    // Locks first: DeleteSnapshot is refused on a locked snapshot before the cleanup fake deletes it. The restore
    // fake's DescribeImages (with filters) answers the cleanup listing too.
    for (const actions of [LOCK_ACTIONS, COPY_ACTIONS, RESTORE_ACTIONS, DRILL_ACTIONS, CLEANUP_ACTIONS, SUBNET_ACTIONS]) {
      const table: Record<string, FakeAction> | undefined = service === "ec2" ? actions.ec2 : service === "rds" ? actions.rds : undefined;
      if (table && Object.hasOwn(table, action)) return table[action];
    }
    return undefined;
  }

  private dispatch(request: FakeRequest, call: FakeCall, region: RegionState, requestId: string): { body: string; headers?: Record<string, string> } {
    const extra = this.extension(call.service, call.action);
    if (extra) {
      const cap = call.service === "ec2" ? this.pageCap.ec2 : this.pageCap.rds;
      const xml = extra({ params: call.params, region, cap, regionNamed: (name) => this.region(name) });
      return { body: call.service === "ec2" ? ec2Response(call.action, requestId, xml) : queryResponse(RDS_NS, call.action, requestId, xml) };
    }
    switch (call.service) {
      case "ec2":
        return { body: ec2Response(call.action, requestId, ec2Action(call.action, call.params, region, this.pageCap.ec2)) };
      case "rds":
        return { body: queryResponse(RDS_NS, call.action, requestId, rdsAction(call.action, call.params, region, this.pageCap.rds)) };
      case "sns":
        return { body: queryResponse(SNS_NS, call.action, requestId, snsAction(call.action, call.params, region, requestId)) };
      case "states":
        return { body: this.sfn.handle(call.action, request.body, region.name) };
      case "ce":
        return { body: this.ce.handle(call.action, request.body) };
      case "s3": {
        const header = (name: string) => Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
        const reply = s3Request(request.method, request.host, request.path, request.body, region, header);
        return { body: reply.body, headers: { "x-amz-request-id": requestId, ...reply.headers } };
      }
      default:
        throw new AwsFault("UnknownService", 400, `The fake does not implement ${call.service}`);
    }
  }
}
