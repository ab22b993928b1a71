// Writes a run manifest, the audit trail of one run, as JSON into the vault bucket, and reads such JSON back (a run's
// parts and a cleanup's intent record are written the same way).
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

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

/** The JSON at `key` (as writeManifest wrote it), parsed; S3's errors and a parse error are thrown. */
export async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString()) ?? "") as unknown;
}
