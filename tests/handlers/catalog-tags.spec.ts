// Catalog tags on every backup, and RDS snapshot identifiers: valid for RDS, stable per slot, unique otherwise.
import { expect } from "chai";
import * as fc from "fast-check";
import { catalogTags, readCatalog } from "../../handlers/lib/catalog-record";
import { tagRecord } from "../../handlers/lib/tags";
import { rdsSnapshotIdentifier, validRdsIdentifier } from "../../handlers/kinds/rds-identifier";
import type { BackupRun } from "../../handlers/backup/types";
import { RDS_IDENTIFIER } from "../helpers/aws-fake-rds";

const run = (over: Partial<BackupRun> = {}): BackupRun => ({
  stackTag: "backup-dr/prod",
  plan: "gold",
  slot: new Date("2026-11-22T06:00:00Z"),
  runId: "gold@2026-11-22T06:00:00Z",
  tier: "daily",
  expires: new Date("2026-12-06T06:00:00.000Z"),
  ...over,
});

const isValid = (id: string) => RDS_IDENTIFIER.test(id) && !id.endsWith("-") && id.length <= 255;

// RDS DB identifiers: a letter, then letters, digits and single hyphens, at most 63, no trailing hyphen.
const identifier = (max: number) => fc.stringMatching(new RegExp(`^[a-z](?:-?[a-z0-9]){0,${Math.floor((max - 1) / 2)}}$`));
const dbIdentifier = identifier(63);
const planName = identifier(20);
const slot = fc.integer({ min: Date.parse("1990-01-01T00:00:00Z"), max: Date.parse("2199-12-31T23:59:00Z") }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));

describe("catalog tags", () => {
  it("every backup carries stack, plan, source, run, tier and expiry (ISO, to the second)", () => {
    expect(catalogTags(run(), "i-0abc")).to.deep.equal([
      { Key: "backup-dr:stack", Value: "backup-dr/prod" },
      { Key: "backup-dr:plan", Value: "gold" },
      { Key: "backup-dr:source", Value: "i-0abc" },
      { Key: "backup-dr:run", Value: "gold@2026-11-22T06:00:00Z" },
      { Key: "backup-dr:tier", Value: "daily" },
      { Key: "backup-dr:expires", Value: "2026-12-06T06:00:00Z" },
    ]);
  });
});

describe("catalog reader (one for every flow)", () => {
  it("reads back what the writer wrote, and a DR copy's own tags", () => {
    const written = tagRecord(catalogTags(run(), "i-0abc"));
    expect(readCatalog(written)).to.deep.equal({
      stack: "backup-dr/prod",
      plan: "gold",
      source: "i-0abc",
      run: "gold@2026-11-22T06:00:00Z",
      tier: "daily",
      tierText: "daily",
      expires: "2026-12-06T06:00:00Z",
    });
    const copy = { ...written, "backup-dr:copy-of": "snap-0123456789abcdef0", "backup-dr:taken": "2026-11-22T06:01:02.000Z", "backup-dr:set-size": "2" };
    expect(readCatalog(copy)).to.include({ copyOf: "snap-0123456789abcdef0", taken: "2026-11-22T06:01:02.000Z", setSize: "2" });
  });

  it("leaves out a tier that is not one, keeping its text, and reads no inherited key", () => {
    expect(readCatalog({ "backup-dr:tier": "fortnightly" })).to.deep.equal({ tierText: "fortnightly" });
    expect(readCatalog(Object.create({ "backup-dr:stack": "inherited" }) as Record<string, string>)).to.deep.equal({});
  });
});

describe("RDS snapshot identifiers", () => {
  it("read as prefix, plan, source, slot and a hash", () => {
    expect(rdsSnapshotIdentifier(run(), "rds", "orders-db")).to.match(/^bdr-gold-orders-db-20261122t0600-[0-9a-f]{12}$/);
  });

  it("differ when plan and source names run together (gold + eu-orders, gold-eu + orders)", () => {
    const a = rdsSnapshotIdentifier(run({ plan: "gold", runId: "gold@2026-11-22T06:00:00Z" }), "rds", "eu-orders");
    const b = rdsSnapshotIdentifier(run({ plan: "gold-eu", runId: "gold-eu@2026-11-22T06:00:00Z" }), "rds", "orders");
    expect(a).to.not.equal(b);
  });

  it("keep a 40-character cluster id within 63 characters, stamp and hash whole at the end", () => {
    const cluster = "orders-aurora-postgres-cluster-eu-west-1";
    expect(cluster).to.have.length(40);
    const id = rdsSnapshotIdentifier(run({ plan: "gold-with-long-name1", runId: "gold-with-long-name1@2026-11-22T06:00:00Z" }), "aurora", cluster);
    expect(id.length).to.be.at.most(63);
    expect(isValid(id), id).to.be.true;
    expect(id).to.match(/^bdr-gold-with-long-name1-orders-.*-20261122t0600-[0-9a-f]{12}$/);
  });

  it("are valid RDS identifiers within each kind's limit for every valid plan, source and slot", () => {
    fc.assert(
      fc.property(planName, dbIdentifier, slot, fc.constantFrom("rds" as const, "aurora" as const), (plan, source, when, kind) => {
        const id = rdsSnapshotIdentifier(run({ plan, slot: when }), kind, source);
        expect(isValid(id), id).to.be.true;
        expect(id.length, id).to.be.at.most(kind === "aurora" ? 63 : 255);
        expect(id.startsWith("bdr-"), id).to.be.true;
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("are the same for a rerun and differ by source, slot and stack (also where the source part is cut short)", () => {
    fc.assert(
      fc.property(dbIdentifier, dbIdentifier, slot, slot, (a, b, s1, s2) => {
        const id = (source: string, when: Date, stackTag = "backup-dr/prod") => rdsSnapshotIdentifier(run({ slot: when, stackTag, runId: `gold@${when.toISOString()}` }), "aurora", source);
        expect(id(a, s1)).to.equal(id(a, new Date(s1.getTime())));
        if (a !== b) expect(id(a, s1)).to.not.equal(id(b, s1));
        if (s1.getTime() !== s2.getTime()) expect(id(a, s1)).to.not.equal(id(a, s2));
        expect(id(a, s1)).to.not.equal(id(a, s1, "backup-dr/dev"));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("sanitizes anything into a valid identifier", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), (text) => {
        const id = validRdsIdentifier(`x${text}`);
        expect(isValid(id), id).to.be.true;
      }),
      { numRuns: 300, seed: 3 },
    );
    expect(validRdsIdentifier("9lives--DB_")).to.equal("s-9lives-db");
  });
});
