// Telling a customer-managed KMS key reference from an AWS-managed one without calling AWS.
/**
 * A reference (key id, key ARN, alias name or alias ARN) to a customer-managed key: set, and not an
 * AWS-managed alias (`alias/aws/<service>`). An AWS-managed key given by its key ARN cannot be told
 * apart offline; the stack only ever passes its own keys' ARNs.
 */
export function isCustomerManagedKey(reference: unknown): boolean {
  if (typeof reference !== "string" || reference.trim() === "") return false;
  return !/(^|:)alias\/aws\//.test(reference);
}
