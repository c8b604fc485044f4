/**
 * A PKCS#11 module is loaded and C_Initialize'd once per process and path,
 * however many signers use it (a second C_Initialize of the same library
 * returns CKR_CRYPTOKI_ALREADY_INITIALIZED, and C_Finalize would pull the
 * rug from under the other users). Users acquire and release it; the last
 * release finalizes. A process-exit hook finalizes whatever is still open.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { KysoError } from '@kyso/core';
import { ckrOf, mapPkcs11Error } from './errors.js';
import { P, type PKCS11 } from './pkcs11js.js';

export interface LoadedModule {
  readonly path: string;
  readonly pkcs11: PKCS11;
  /** The module was initialised with CKF_OS_LOCKING_OK: calls from several threads are safe. */
  readonly threadSafe: boolean;
  /**
   * Fingerprints (keyed HMAC, never the PIN) of the PIN each token was
   * logged in with by this process: login state is shared by all sessions
   * of a process, so a second C_Login answers CKR_USER_ALREADY_LOGGED_IN
   * without checking the PIN; this lets us check it.
   */
  readonly logins: Map<string, Buffer>;
  /**
   * C_Finalize and C_Initialize again, for a module that stays broken after
   * its token went away and came back (SoftHSM2 answers CKR_GENERAL_ERROR to
   * C_Login until then). Every session of every user of the module is gone
   * after it: theirs report a lost session and are opened again. Done at
   * most once a second, and only when this process initialised the module;
   * false when not done.
   */
  reinitialize(): boolean;
  /** Drops this user's reference; the last one finalizes the module. Idempotent. */
  release(): void;
}

interface Entry {
  pkcs11: PKCS11;
  threadSafe: boolean;
  /** We called the successful C_Initialize, so C_Finalize is ours to call. */
  ownsInit: boolean;
  refs: number;
  logins: Map<string, Buffer>;
  reinitializedAt: number;
}

const open = new Map<string, Entry>();
let exitHook: (() => void) | undefined;

function finalize(entry: Entry): void {
  try {
    if (entry.ownsInit) entry.pkcs11.C_Finalize();
  } catch {
    /* already finalized or the device is gone: nothing left to release */
  }
  try {
    entry.pkcs11.close();
  } catch {
    /* ignore */
  }
}

function installExitHook(): void {
  if (exitHook) return;
  exitHook = () => {
    for (const entry of open.values()) finalize(entry);
    open.clear();
  };
  process.once('exit', exitHook);
}

function removeExitHookIfIdle(): void {
  if (exitHook && open.size === 0) {
    process.removeListener('exit', exitHook);
    exitHook = undefined;
  }
}

function moduleNotFound(path: string, why: string, whyVi: string, cause?: unknown): KysoError {
  return new KysoError(
    'PKCS11_MODULE_NOT_FOUND',
    `PKCS#11 module ${path} ${why}: install the token's driver or give the path of its PKCS#11 library (.so / .dll / .dylib)`,
    {
      vi: `Mô-đun PKCS#11 ${path} ${whyVi}: cài trình điều khiển của thiết bị hoặc chỉ đúng đường dẫn thư viện PKCS#11 (.so / .dll / .dylib)`,
      cause,
      details: { module: path },
    },
  );
}

/** Loads (or reuses) the module at `modulePath`. */
export function acquireModule(modulePath: string): LoadedModule {
  if (typeof modulePath !== 'string' || modulePath.trim() === '') {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'A PKCS#11 module path is required', { vi: 'Cần đường dẫn mô-đun PKCS#11' });
  }
  // A bare library name (libsofthsm2.so) is left to the dynamic loader's search path.
  const bare = !modulePath.includes('/') && !modulePath.includes('\\');
  let key = modulePath;
  if (!bare) {
    const abs = isAbsolute(modulePath) ? modulePath : resolve(modulePath);
    if (!existsSync(abs)) throw moduleNotFound(modulePath, 'does not exist', 'không tồn tại');
    if (!statSync(abs).isFile()) throw moduleNotFound(modulePath, 'is not a file', 'không phải là tệp');
    key = realpathSync(abs);
  }
  let entry = open.get(key);
  if (!entry) {
    const pkcs11 = new P.PKCS11();
    try {
      pkcs11.load(key);
    } catch (cause) {
      throw moduleNotFound(modulePath, 'cannot be loaded', 'không nạp được', cause);
    }
    let threadSafe = true;
    let ownsInit = true;
    try {
      pkcs11.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
    } catch (e) {
      const rv = ckrOf(e);
      if (rv === P.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        // Someone else in this process (another library) initialised it; we must then never finalize it.
        ownsInit = false;
      } else if (rv === P.CKR_CANT_LOCK) {
        // The module cannot lock for us: use it from one thread only.
        threadSafe = false;
        try {
          pkcs11.C_Initialize();
        } catch (e2) {
          if (ckrOf(e2) === P.CKR_CRYPTOKI_ALREADY_INITIALIZED) ownsInit = false;
          else {
            pkcs11.close();
            throw mapPkcs11Error(e2, { action: 'initialise the module', actionVi: 'khởi tạo mô-đun', details: { module: modulePath } });
          }
        }
      } else {
        try {
          pkcs11.close();
        } catch {
          /* ignore */
        }
        throw rv === undefined
          ? moduleNotFound(modulePath, 'is not a PKCS#11 library', 'không phải thư viện PKCS#11', e)
          : mapPkcs11Error(e, { action: 'initialise the module', actionVi: 'khởi tạo mô-đun', details: { module: modulePath } });
      }
    }
    entry = { pkcs11, threadSafe, ownsInit, refs: 0, logins: new Map(), reinitializedAt: 0 };
    open.set(key, entry);
    installExitHook();
  }
  entry.refs++;
  const e = entry;
  let released = false;
  return {
    path: key,
    pkcs11: e.pkcs11,
    threadSafe: e.threadSafe,
    logins: e.logins,
    reinitialize() {
      if (!e.ownsInit || Date.now() - e.reinitializedAt < 1000) return false;
      e.reinitializedAt = Date.now();
      try {
        e.pkcs11.C_Finalize();
      } catch {
        /* already finalized: initialise below */
      }
      try {
        if (e.threadSafe) e.pkcs11.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
        else e.pkcs11.C_Initialize();
      } catch (err) {
        if (ckrOf(err) !== P.CKR_CRYPTOKI_ALREADY_INITIALIZED) return false;
      }
      // Logins belong to the sessions that are gone.
      e.logins.clear();
      return true;
    },
    release() {
      if (released) return;
      released = true;
      e.refs--;
      if (e.refs <= 0 && open.get(key) === e) {
        open.delete(key);
        finalize(e);
        removeExitHookIfIdle();
      }
    },
  };
}
