// Writes a run manifest, the audit trail of one run, as JSON into the vault bucket.
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** Puts the manifest at `key`; the vault's default encryption (KMS) and Object Lock apply to it. */
export async function writeManifest(s3: S3Client, bucket: string, key: string, manifest: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(manifest, null, 2)}\n`,
      ContentType: "application/json",
    }),
  );
}
