// The metrics catalog (handlers/lib/metrics.ts) ties the alarms to what the handlers emit: every alarm on our
// namespace in the shipped stacks watches a catalogued metric with exactly its dimensions; the Lambda entries emit
// only catalogued metrics, with their units and dimensions, and between them every one; the docs list them all.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { handler as backupHandler } from "../../handlers/backup";
import { handler as cleanupHandler } from "../../handlers/cleanup";
import { handler as copyHandler } from "../../handlers/copy";
import { handler as drillHandler } from "../../handlers/drill";
import { handler as reportHandler } from "../../handlers/report";
import { cataloguedMetric, cataloguedMetrics, metricSet, METRICS_NAMESPACE, watchedMetric } from "../../handlers/lib/metrics";
import { FakeAws, REGION } from "../helpers/aws-fake";
import { backupEnv } from "../helpers/backup-setup";
import { lambdaContext } from "../helpers/lambda-context";
import { addDbBackup, copyEnv, primaryRegion, SWEEP } from "../helpers/copy-setup";
import { buildFleet, TOPIC_NAME, VAULT_BUCKET } from "../helpers/backup-fleet";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";
import { buildScenario, shiftScenarioToNow } from "../helpers/cleanup-scenario";
import { DR, PRIMARY, cleanupContext, cleanupEnv } from "../helpers/cleanup-setup";
import { deployStack } from "../helpers/deploy";
import { DR as DRILL_REGION, drillEnv, drRegion, passedReportEvent } from "../helpers/drill-setup";
import { addSource, backUp, DR as REPORT_DR, DR_VAULT_BUCKET, PRIMARY as REPORT_REGION, reportEnv } from "../helpers/report-setup";
import { ofType } from "../helpers/resources";
import { ROOT, stackFiles } from "../helpers/stacks";
import { thrown } from "../helpers/thrown";

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

describe("metrics catalog", () => {
  it("names each metric once, in one set", () => {
    const names = cataloguedMetrics().map((m) => m.name);
    expect(names).to.have.length.above(0);
    expect(new Set(names).size).to.equal(names.length);
  });

  it("does not compile a metric set with an uncatalogued name, another set's metric or a wrong dimension (npm run typecheck)", () => {
    const refused = [
      // @ts-expect-error: BackupsMade is not a catalogued metric
      () => metricSet("backupRun", { Plan: "gold" }, { BackupsMade: 1 }),
      // @ts-expect-error: CopiesStarted is a metric of copyPlan, not backupRun
      () => metricSet("backupRun", { Plan: "gold" }, { CopiesStarted: 1 }),
      // @ts-expect-error: backupRun's dimension is Plan, not Region
      () => metricSet("backupRun", { Region: "us-east-1" }, { BackupsCreated: 1 }),
      // @ts-expect-error: cleanupQuota needs Kind as well as Region
      () => metricSet("cleanupQuota", { Region: "us-east-1" }, { ManualSnapshotsUsed: 1 }),
      // @ts-expect-error: OldestUncopiedAgeSeconds has the dimension Plan only
      () => watchedMetric("OldestUncopiedAgeSeconds", { Region: "us-east-1" }),
      // @ts-expect-error: no such metric
      () => watchedMetric("OldestUncopiedAge", { Plan: "gold" }),
    ];
    expect(metricSet("backupRun", { Plan: "gold" }, { BackupsCreated: 1 })).to.deep.equal({ set: "backupRun", dimensions: { Plan: "gold" }, values: { BackupsCreated: 1 } });
    expect(refused).to.have.length(6);
  });

  it("gives an alarm exactly the catalogued namespace, name and dimensions, and refuses others", () => {
    expect(watchedMetric("ManualSnapshotsUsed", { Region: "us-east-1", Kind: "rds" })).to.deep.equal({ namespace: "BackupDr", metricName: "ManualSnapshotsUsed", dimensions: { Region: "us-east-1", Kind: "rds" } });
    // The types refuse these too; the run-time check catches what gets past them (e.g. through a cast).
    const loose = watchedMetric as (name: string, dimensions: Record<string, string>) => unknown;
    expect(thrown(() => loose("OldestUncopiedAgeSeconds", { Plan: "gold", Region: "us-east-1" })).message).to.equal("OldestUncopiedAgeSeconds is published with dimensions [Plan], not [Plan, Region]");
    expect(thrown(() => loose("OldestUncopiedAge", { Plan: "gold" })).message).to.equal("OldestUncopiedAge is not a metric of the BackupDr catalog (handlers/lib/metrics.ts)");
  });

  for (const stack of stackFiles()) {
    it(`in the ${stack} stack, every alarm on ${METRICS_NAMESPACE} watches a catalogued metric with exactly its dimensions`, async () => {
      const { resources, result } = await deployStack(stack);
      const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs as { namespace?: string; metricName?: string; dimensions?: Record<string, string> });
      // Every alarm watches one metric (no metric math) in AWS's namespaces or ours: a misspelt namespace is caught here.
      for (const a of alarms) expect(a.namespace === METRICS_NAMESPACE || /^AWS\//.test(a.namespace ?? ""), `namespace ${a.namespace ?? "(none)"}`).to.be.true;
      const ours = alarms.filter((a) => a.namespace === METRICS_NAMESPACE);
      const copying = result.config.plans.some((p) => p.copyToDr);
      // The drill's per-plan alarms come with its machine (always deployed); the overdue alarm with its schedule.
      const drilling = ["DrillFailures", "DrillRestoreSeconds", "DrillRecoveryPointAgeSeconds", ...(result.config.drill.enabled ? ["DrillOverdue"] : [])];
      // The coverage check's missed-backup alarm, one per plan.
      expect([...new Set(ours.map((a) => a.metricName))].sort()).to.deep.equal([...(copying ? ["OldestUncopiedAgeSeconds"] : []), "ManualSnapshotsUsed", ...drilling, "SourcesOutOfPolicy"].sort());
      for (const a of ours) {
        const metric = cataloguedMetric(a.metricName ?? "");
        expect(Object.keys(a.dimensions ?? {}).sort(), a.metricName).to.deep.equal([...metric.dimensions].sort());
      }
    });
  }

  describe("what the Lambda entries emit", () => {
    const emitted = new Map<string, Emf[]>();

    before(async () => {
      const run = async (name: string, prepare: (fake: FakeAws) => void, env: Record<string, string | undefined>, region: string, invoke: () => Promise<unknown>) => {
        const fake = new FakeAws();
        prepare(fake);
        const server = await startFakeServer(fake);
        try {
          const { captured } = await invokeIsolated({ ...env, ...fakeEndpointEnv(server, region) }, invoke);
          emitted.set(name, captured.metrics as Emf[]);
        } finally {
          await server.close();
        }
      };
      await run("backup", (fake) => void buildFleet(fake), backupEnv(), REGION, () => backupHandler({ plan: "gold", scheduledTime: "2026-11-22T05:00:00Z" }, lambdaContext()));
      await run(
        "copy",
        (fake) => {
          primaryRegion(fake);
          addDbBackup(fake, "rds", { slot: new Date(Math.floor(Date.now() / 86_400_000 - 1) * 86_400_000 + 5 * 3_600_000) });
        },
        copyEnv(),
        REGION,
        () => copyHandler(SWEEP, lambdaContext("copy")),
      );
      await run(
        "cleanup",
        (fake) => {
          buildScenario(fake);
          shiftScenarioToNow(fake, "2026-11-22T03:30:00Z", [PRIMARY, DR]);
        },
        cleanupEnv(),
        PRIMARY,
        () => cleanupHandler({ scheduledTime: "2026-11-22T03:30:00Z" }, cleanupContext()),
      );
      // The drill's report (drillPlan) and its watch (drillWatch; a schedule with no slot yet lists nothing).
      await run("drill", drRegion, drillEnv({ schedule: "cron(0 3 1 * ? 2199)" }), DRILL_REGION, async () => {
        await drillHandler(passedReportEvent(), lambdaContext());
        return drillHandler({ step: "watch" }, lambdaContext());
      });
      // The report function's coverage step (coverage, per plan) and its daily report (coverage and unselected; the
      // report goes to the primary vault, the summary to the topic).
      await run(
        "report",
        (fake) => {
          fake.region(REPORT_REGION).addBucket(VAULT_BUCKET);
          fake.region(REPORT_REGION).addTopic(TOPIC_NAME);
          fake.region(REPORT_DR).addBucket(DR_VAULT_BUCKET);
          backUp(fake, "ec2", addSource(fake, "ec2", "gold", new Date(Date.now() - 86_400_000)), "gold", new Date(Math.floor(Date.now() / 21_600_000) * 21_600_000 - 21_600_000), { copyAfterMinutes: 5 });
        },
        reportEnv(),
        REPORT_REGION,
        async () => {
          await reportHandler({ step: "coverage" }, lambdaContext());
          return reportHandler({ step: "report" }, lambdaContext());
        },
      );
    });

    for (const fn of ["backup", "copy", "cleanup", "drill", "report"] as const) {
      it(`${fn}: only catalogued metrics of the ${fn} function, in ${METRICS_NAMESPACE}, with their units and exactly their dimensions`, () => {
        const docs = emitted.get(fn) ?? [];
        expect(docs).to.have.length.above(0);
        for (const doc of docs) {
          for (const directive of doc._aws.CloudWatchMetrics) {
            expect(directive.Namespace).to.equal(METRICS_NAMESPACE);
            for (const m of directive.Metrics) {
              const metric = cataloguedMetric(m.Name);
              expect([metric.function, metric.unit], m.Name).to.deep.equal([fn, m.Unit]);
              expect(directive.Dimensions, m.Name).to.deep.equal([[...metric.dimensions]]);
              for (const d of metric.dimensions) expect(doc[d], `${m.Name} ${d}`).to.be.a("string");
            }
          }
        }
      });
    }

    it("between them, every catalogued metric", () => {
      const names = new Set([...emitted.values()].flat().flatMap((doc) => doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name))));
      expect(cataloguedMetrics().map((m) => m.name).filter((n) => !names.has(n))).to.deep.equal([]);
    });
  });

  it("each function's docs page lists every metric it publishes", () => {
    for (const metric of cataloguedMetrics()) {
      const page = fs.readFileSync(path.join(ROOT, "docs", `${metric.function}.md`), "utf8");
      expect(page, `docs/${metric.function}.md`).to.include(`\`${metric.name}\``);
    }
  });
});
