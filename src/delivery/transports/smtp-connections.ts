// A pool of open SMTP sessions to one server, each a nodemailer SMTPConnection, to which a composed
// message (compose-message.ts) is written as bytes: nodemailer's own pool streams every message
// through a pipeline of its own, which cost more CPU than the SMTP exchange itself.
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

type Options = ConstructorParameters<typeof SMTPConnection>[0] & {
  /** Sessions kept open at most. */
  poolSize: number;
  auth?: { user: string; pass: string };
};
type Envelope = Parameters<SMTPConnection['send']>[0];
type SendInfo = Parameters<Parameters<SMTPConnection['send']>[2]>[1] & {};

export type SmtpConnections = {
  /** Sends one composed message; rejects with nodemailer's error (code, responseCode, response, command). */
  send(envelope: Envelope, raw: Buffer): Promise<SendInfo>;
  /** Refuses new sends, ends idle sessions now and busy ones once their message is answered. */
  close(): void;
};

type Job = { envelope: Envelope; raw: Buffer; resolve(info: SendInfo): void; reject(err: unknown): void; tries: number };
type Session = { connection: SMTPConnection; state: 'opening' | 'idle' | 'busy' | 'gone' };

// A session the server dropped, timed out or shut down with a 421 (RFC 5321 3.8): the message goes
// out on a fresh session instead of failing, as long as none of it was sent yet.
const isTransient = (err: { code?: string; responseCode?: number }) =>
  err.responseCode === 421 || err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'ETIMEDOUT';
const MAX_TRIES = 2;
// After a failed connect or login, no new session is tried for this long.
const REOPEN_DELAY_MS = 1000;

export function openSmtpConnections(options: Options): SmtpConnections {
  const { poolSize, auth, ...connectionOptions } = options;
  const sessions = new Set<Session>();
  const queue: Job[] = [];
  let closed = false;
  let reopenAt = 0;
  let lastOpenError: unknown;

  const end = (session: Session, how: 'quit' | 'close') => {
    if (session.state === 'gone') return;
    session.state = 'gone';
    sessions.delete(session);
    if (how === 'quit') session.connection.quit();
    else session.connection.close();
  };
  const drop = (session: Session) => {
    end(session, 'close');
    pump();
  };
  const release = (session: Session) => {
    if (session.state === 'gone') return;
    if (closed) return end(session, 'quit');
    session.state = 'idle';
    pump();
  };

  function open(): void {
    const connection = new SMTPConnection(connectionOptions);
    const session: Session = { connection, state: 'opening' };
    sessions.add(session);
    const failOpen = (err: unknown) => {
      if (session.state === 'gone') return;
      end(session, 'close');
      lastOpenError = err;
      reopenAt = Date.now() + REOPEN_DELAY_MS;
      pump();
    };
    // Errors of a session between messages (a timeout, the server closing it) just end it; an
    // error during a send reaches that send's callback, which decides for the message.
    connection.on('error', (err) => {
      if (session.state === 'opening') failOpen(err);
      else if (session.state === 'idle') drop(session);
    });
    connection.once('end', () => {
      if (session.state === 'opening') failOpen(Object.assign(new Error('the server closed the connection'), { code: 'ECONNECTION' }));
      else if (session.state === 'idle') drop(session);
    });
    connection.connect((err) => {
      if (err) return failOpen(err);
      if (!auth || !connection.allowsAuth) return release(session);
      connection.login(auth, (loginErr) => (loginErr ? failOpen(loginErr) : release(session)));
    });
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      // One walk of the (at most poolSize) sessions per message: an idle one, else how many are opening.
      let idle: Session | undefined;
      let opening = 0;
      for (const s of sessions) {
        if (s.state === 'idle') {
          idle = s;
          break;
        }
        if (s.state === 'opening') opening++;
      }
      if (idle) {
        run(idle, queue.shift()!);
        continue;
      }
      if (sessions.size >= poolSize || opening >= queue.length) return;
      if (Date.now() < reopenAt) {
        // A session could not be opened a moment ago. Open ones take the waiting messages; with
        // none, they fail now (the worker retries them with backoff) instead of reconnecting in a loop.
        if (sessions.size === 0) for (const job of queue.splice(0)) job.reject(lastOpenError);
        return;
      }
      open();
    }
  }

  function run(session: Session, job: Job): void {
    session.state = 'busy';
    job.tries++;
    // Read only once the server has said 354 to DATA: until then the server cannot have the message
    // (nodemailer's own pool decides its retries the same way).
    const message = new Readable({
      read() {
        this.push(job.raw);
        this.push(null);
      },
    });
    session.connection.send(job.envelope, message, (err, info) => {
      if (!err) {
        job.resolve(info!);
        return release(session);
      }
      // Not a byte of it was read: a second try on a new session cannot deliver it twice.
      const unsent = !message.readableDidRead;
      if ((err.code === 'EENVELOPE' || err.code === 'EMESSAGE') && err.responseCode !== 421) {
        // This message was refused; the session goes on after a reset (RFC 5321 4.1.1.5).
        session.connection.reset((resetErr) => (resetErr ? drop(session) : release(session)));
      } else {
        end(session, 'close');
      }
      if (isTransient(err) && unsent && job.tries < MAX_TRIES && !closed) queue.unshift(job);
      else job.reject(err);
      pump();
    });
  }

  return {
    send(envelope, raw) {
      if (closed) return Promise.reject(Object.assign(new Error('the SMTP connection pool is closed'), { code: 'ECONNECTION' }));
      return new Promise<SendInfo>((resolve, reject) => {
        queue.push({ envelope, raw, resolve, reject, tries: 0 });
        pump();
      });
    },
    close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(Object.assign(new Error('the SMTP connection pool was closed'), { code: 'ECONNECTION' }));
      // Busy sessions end once their message is answered (release).
      for (const session of sessions) if (session.state !== 'busy') end(session, 'quit');
    },
  };
}
