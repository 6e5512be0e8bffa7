import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Structured logs. Redaction is a second line of defence: code never logs message contents,
 * secrets or tokens in the first place.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'fpfp-wecom-bot' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.secret', '*.access_token', '*.corpsecret', '*.token', '*.password', '*.idNumber', '*.phone'],
      censor: '[redacted]',
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
