// Sends a plain-text message a person can read to the notification topic.
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, " ");
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

export async function notify(sns: SNSClient, topicArn: string, subject: string, lines: readonly string[]): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: snsSubject(subject), Message: lines.join("\n") }));
}
