// The zone a restore of a machine's volumes defaults to when neither the request nor the point (a recorded zone of
// this region) gives one: the zone of the region's first restore subnet (config backup-dr:restore subnetIds), so a
// restore in the DR region needs no --zone when the region's network is configured.
import { paginateDescribeSubnets, type EC2Client } from "@aws-sdk/client-ec2";
import type { RestoreState } from "../restore/contract";

/** The availability zone of the subnet; undefined when the region has no such subnet. */
async function zoneOfSubnet(ec2: EC2Client, subnetId: string): Promise<string | undefined> {
  for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 5 }, { Filters: [{ Name: "subnet-id", Values: [subnetId] }] })) {
    const zone = (page.Subnets ?? []).find((s) => s.SubnetId === subnetId)?.AvailabilityZone;
    if (zone !== undefined) return zone;
  }
  return undefined;
}

/** The state with volumes' zone from the first restore subnet, when it has none (instance mode places by subnet). */
export async function volumesZoneDefault(ec2: EC2Client, state: RestoreState): Promise<RestoreState> {
  if (state.mode === "instance" || state.zone !== undefined || state.subnetId === undefined) return state;
  const zone = await zoneOfSubnet(ec2, state.subnetId);
  return zone === undefined ? state : { ...state, zone };
}
