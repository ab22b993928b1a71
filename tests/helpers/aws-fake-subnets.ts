// Fake EC2 DescribeSubnets over the subnets the restore fakes know in every region (fakeRestoreNetwork), with AWS's
// subnet-id filter, MaxResults bounds (5-1000) and paging: the restore reads the zone of its first restore subnet.
import type { FakeActions } from "./aws-fake-extensions";
import { fakeRestoreNetwork } from "./aws-fake-restore-state";
import { AwsFault, el, leaf, listParam, pageOffset, pageToken } from "./aws-wire";

export const SUBNET_ACTIONS: FakeActions = {
  ec2: {
    DescribeSubnets: ({ params, region, cap }) => {
      const network = fakeRestoreNetwork(region.name);
      const filters = listParam(params, "Filter").map((f) => ({ name: f.get("Name") ?? "", values: [...f.entries()].filter(([k]) => k.startsWith("Value.")).map(([, v]) => v) }));
      for (const f of filters) if (f.name !== "subnet-id") throw new AwsFault("InvalidParameterValue", 400, `This fake does not implement the filter '${f.name}'`);
      const max = params.get("MaxResults");
      if (max !== undefined && (Number(max) < 5 || Number(max) > 1000)) throw new AwsFault("InvalidParameterValue", 400, `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
      const found = network.subnetIds.filter((id) => filters.every((f) => f.values.includes(id)));
      const size = Math.min(max === undefined ? 1000 : Number(max), cap);
      const offset = pageOffset(params.get("NextToken"));
      const items = found.slice(offset, offset + size).map((id) => el("item", leaf("subnetId", id), leaf("availabilityZone", network.zones[id]), leaf("vpcId", "vpc-0a1b2c3d4e5f60700"), leaf("state", "available")));
      return el("subnetSet", ...items) + (leaf("nextToken", offset + size < found.length ? pageToken(offset + size) : undefined) ?? "");
    },
  },
  rds: {},
};
