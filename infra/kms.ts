// One customer-managed KMS key per region: rotated, with an alias and a policy that names no `*` principal.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy, type Account } from "./policy-documents";

export interface RegionKeyArgs {
  /** Region the key lives in (the provider comes from the component's parent options). */
  region: pulumi.Input<string>;
  account: pulumi.Input<Account>;
  aliasName: pulumi.Input<string>;
  description: pulumi.Input<string>;
  deletionWindowInDays: pulumi.Input<number>;
  /** Service principals that publish to a topic encrypted with this key. */
  topicPublishers: string[];
  /** Protect the key from `pulumi destroy` and keep it on delete. */
  protect: boolean;
}

export class RegionKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: RegionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:kms:RegionKey", name, {}, opts);
    const keep = { protect: args.protect, retainOnDelete: args.protect };

    const policy = pulumi
      .all([args.account, args.region])
      .apply(([account, region]) => JSON.stringify(keyPolicy({ ...account, region, topicPublishers: args.topicPublishers })));

    const key = new aws.kms.Key(
      name,
      {
        description: args.description,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        multiRegion: false,
        policy,
      },
      { parent: this, ...keep },
    );
    const alias = new aws.kms.Alias(`${name}-alias`, { name: args.aliasName, targetKeyId: key.keyId }, { parent: this });

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
