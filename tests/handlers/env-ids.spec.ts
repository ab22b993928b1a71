// Settings from environment variables, run ids and manifest keys, SNS subjects and error descriptions.
import { expect } from "chai";
import { describeError } from "../../handlers/lib/errors";
import { intSetting, jsonSetting, oneOfSetting, optionalSetting, requireSetting } from "../../handlers/lib/env";
import { snsSubject } from "../../handlers/lib/notify";
import { isoSeconds, keySafe, manifestKey, runIdFor } from "../../handlers/lib/run-id";
import { thrown } from "../helpers/thrown";

describe("environment settings", () => {
  it("requires a value; blank counts as missing", () => {
    expect(requireSetting({ A: "x" }, "A")).to.equal("x");
    for (const env of [{}, { A: "" }, { A: "  " }]) {
      const error = thrown(() => requireSetting(env, "A"));
      expect(error).to.be.instanceOf(Error);
      expect(error.name).to.equal("MissingSettingError");
      expect(error.message).to.include("A");
    }
  });

  it("falls back to defaults and checks enumerations, numbers and JSON", () => {
    expect(optionalSetting({}, "A", "d")).to.equal("d");
    expect(oneOfSetting({ N: "always" }, "N", ["failure", "always"] as const, "failure")).to.equal("always");
    expect(intSetting({}, "C", 8, 1, 50)).to.equal(8);
    expect(jsonSetting({ J: '{"a":1}' }, "J")).to.deep.equal({ a: 1 });
    for (const [f, says] of [
      [() => oneOfSetting({ N: "sometimes" }, "N", ["failure", "always"] as const, "failure"), 'N: expected one of failure, always, got "sometimes"'],
      [() => intSetting({ C: "0" }, "C", 8, 1, 50), 'C: expected a whole number from 1 to 50, got "0"'],
      [() => intSetting({ C: "2.5" }, "C", 8, 1, 50), "got \"2.5\""],
      [() => jsonSetting({ J: "{nope" }, "J"), "J: expected JSON"],
    ] as const) {
      const error = thrown(f);
      expect(error).to.be.instanceOf(Error);
      expect(error.name).to.equal("InvalidSettingError");
      expect(error.message).to.include(says);
    }
  });
});

describe("run ids and manifest keys", () => {
  const slot = new Date("2026-11-22T06:00:00Z");
  it("a run id is the plan and the slot to the second", () => {
    expect(isoSeconds(slot)).to.equal("2026-11-22T06:00:00Z");
    expect(runIdFor("gold", slot)).to.equal("gold@2026-11-22T06:00:00Z");
  });
  it("a manifest key uses the slot's UTC date and only S3's safe characters", () => {
    expect(keySafe("gold@2026-11-22T06:00:00Z")).to.equal("gold-2026-11-22T06-00-00Z");
    expect(manifestKey("backup", slot, runIdFor("gold", slot))).to.equal("runs/backup/2026/11/22/gold-2026-11-22T06-00-00Z.json");
    expect(manifestKey("backup", new Date("2026-12-31T23:30:00Z"), "x")).to.equal("runs/backup/2026/12/31/x.json");
  });
});

describe("notification text", () => {
  it("SNS subjects stay printable ASCII, one line, at most 100 characters", () => {
    expect(snsSubject("ok: plan gold")).to.equal("ok: plan gold");
    expect(snsSubject("a\nb – c")).to.equal("a b   c");
    const long = snsSubject("x".repeat(150));
    expect(long).to.have.length(100);
    expect(long.endsWith("...")).to.be.true;
  });
  it("errors are described by name and message, whatever was thrown", () => {
    expect(describeError(Object.assign(new Error("slow down"), { name: "Throttling" }))).to.deep.equal({ name: "Throttling", message: "slow down" });
    expect(describeError("plain")).to.deep.equal({ name: "Error", message: "plain" });
  });
});
