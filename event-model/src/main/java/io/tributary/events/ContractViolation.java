package io.tributary.events;

/**
 * Internal signal that a value breaks the contract. Carries what a {@link Rejection} needs; has no
 * stack trace (it is control flow on the hot path of the parser, not a bug).
 */
final class ContractViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;
  private final String field;

  ContractViolation(RejectReason reason, String field, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
    this.field = field;
  }

  Rejection toRejection() {
    return new Rejection(reason, field, getMessage());
  }
}
