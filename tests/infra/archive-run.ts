// Runs a deployed archive's handler (or the handler itself) the way Lambda would, against a fresh fake AWS over HTTP:
// the archive specs compare the two runs' answers and AWS calls.
import { FakeAws } from "../helpers/aws-fake";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";

/** Runs `invoke` in `region` of a fresh fake AWS (`setup` applied first) with `env`'s settings; the AWS calls as `<region> <action>`. */
export async function invokeAgainstFake<T>(env: Record<string, string | undefined>, region: string, setup: (fake: FakeAws) => void, invoke: () => Promise<T>) {
  const fake = new FakeAws();
  setup(fake);
  const server = await startFakeServer(fake);
  try {
    const outcome = await invokeIsolated({ ...env, ...fakeEndpointEnv(server, region) }, invoke);
    return { outcome, fake, calls: fake.calls.map((c) => `${c.region} ${c.action}`) };
  } finally {
    await server.close();
  }
}
