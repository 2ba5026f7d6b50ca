// Tests never talk to the real Telegram, and keep their logs to themselves.
process.env.LOG_LEVEL = "silent";
