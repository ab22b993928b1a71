// A Step Functions execution's ARN: where it runs, and its page in the AWS console.

export interface ExecutionRef {
  partition: string;
  region: string;
  account: string;
  machine: string;
  name: string;
}

const EXECUTION_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_-]{1,80})$/;

export function parseExecutionArn(arn: string): ExecutionRef | undefined {
  const match = EXECUTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, machine, name] = match;
  return { partition, region, account, machine, name };
}

/** The console's host per partition (the commercial one by default). */
const CONSOLE: Readonly<Record<string, string>> = { "aws-cn": "console.amazonaws.cn", "aws-us-gov": "console.amazonaws-us-gov.com" };

/** The execution's page in the Step Functions console (events, graph, input and output). */
export function consoleUrl(arn: string): string {
  const ref = parseExecutionArn(arn);
  const region = ref?.region ?? "us-east-1";
  const host = (ref && Object.hasOwn(CONSOLE, ref.partition) ? CONSOLE[ref.partition] : undefined) ?? `${region}.console.aws.amazon.com`;
  return `https://${host}/states/home?region=${region}#/v2/executions/details/${arn}`;
}
