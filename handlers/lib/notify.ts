// Sends a plain-text message a person can read to the notification topic.
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, " ");
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

const MAX_LISTED = 50; // keeps the message far below SNS's 256 KB; the manifest has everything

/** A titled list in a message, at most 50 items (the manifest has them all); nothing when there are none. */
export function listedSection(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  const more = items.length > MAX_LISTED ? [`  ... and ${items.length - MAX_LISTED} more, see the manifest`] : [];
  return ["", `${title}:`, ...items.slice(0, MAX_LISTED).map((i) => `  - ${i}`), ...more];
}

/** The verdict of a run, for subjects and first lines: "OK", or "FAILED (n)". */
export function verdict(failures: readonly string[]): string {
  return failures.length > 0 ? `FAILED (${failures.length})` : "OK";
}

export async function notify(sns: SNSClient, topicArn: string, subject: string, lines: readonly string[]): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: snsSubject(subject), Message: lines.join("\n") }));
}

/** The notification's manifest line: where the run's manifest is, or that the run wrote none (it changed nothing). */
export function manifestLine(manifestUri: string | undefined): string {
  return manifestUri === undefined ? "Manifest: none (the run started, deferred, failed, deleted and replaced nothing)" : `Manifest: ${manifestUri}`;
}
