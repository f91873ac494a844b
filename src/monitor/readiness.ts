// Readiness (/readyz): the store answers a read, and the audit trail can write — its writer
// answers a ping and the last batch committed. Each probe is bounded by a timeout, so a stuck
// database makes the server unready instead of hanging the probe.

export interface ReadinessProbes {
  /** A cheap read from the store. */
  store(): Promise<unknown>;
  /** The audit writer's ping; undefined when the audit trail is off. */
  audit?(): Promise<unknown>;
  /** False while the last audit batch failed to commit. */
  auditHealthy(): boolean;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

async function probe(run: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(p: ReadinessProbes, timeoutMs = 2000): Promise<Readiness> {
  const store = await probe(p.store, timeoutMs);
  let audit = 'off';
  if (p.audit) {
    audit = await probe(p.audit, timeoutMs);
    if (audit === 'ok' && !p.auditHealthy()) audit = 'error: the last audit batch failed to commit';
  }
  return { ready: store === 'ok' && (audit === 'ok' || audit === 'off'), checks: { store, audit } };
}
