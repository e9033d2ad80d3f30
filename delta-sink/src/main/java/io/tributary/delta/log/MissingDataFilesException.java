package io.tributary.delta.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A commit would add data files that do not exist (deleted by a vacuum run with too short a
 * retention while the commit was pending, or removed by hand). Nothing was committed: committing
 * would make the table unreadable. The files' rows must be recovered from the source (restore an
 * older savepoint or replay), or the pending commit dropped deliberately.
 */
public final class MissingDataFilesException extends DeltaLogException {
  private static final long serialVersionUID = 1L;
  private static final int NAMED = 20;

  private final List<String> missing;

  public MissingDataFilesException(String what, List<String> missing) {
    super(message(what, missing));
    this.missing = Collections.unmodifiableList(new ArrayList<>(missing));
  }

  /** Every missing file, as the commit names it. */
  public List<String> missing() {
    return missing;
  }

  private static String message(String what, List<String> missing) {
    List<String> named = missing.subList(0, Math.min(NAMED, missing.size()));
    return what + " references " + missing.size() + " data file(s) that do not exist; nothing was committed."
        + " Was the table vacuumed with a retention shorter than the job's downtime or the age of the"
        + " savepoint it restored from? Missing" + (missing.size() > NAMED ? " (first " + NAMED + ")" : "")
        + ": " + named;
  }
}
