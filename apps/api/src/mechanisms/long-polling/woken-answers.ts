import { Inject, Injectable } from '@nestjs/common';
import { ChannelLog } from '../../channels/channel-log';
import { pageJson } from '../../channels/page-json';

/** A long poll's answer, encoded once: the bytes to send and how many events they carry. */
export interface AnswerBody {
  body: Buffer;
  events: number;
}

/**
 * The answer for waiters woken by an event: every waiter on the same channel, cursor and limit
 * woken by the same event gets the same page, so it is read and encoded once and shared. Only
 * reads in flight are kept (each entry goes when its read ends), and only waiters woken by that
 * same event join one: a read begun before the event was stored could miss it.
 */
@Injectable()
export class WokenAnswers {
  private readonly reading = new Map<string, Promise<AnswerBody>>();

  constructor(@Inject(ChannelLog) private readonly log: ChannelLog) {}

  /** `wokenBy`: the id of the event (or the reset cursor) that woke the waiter. */
  answer(channel: string, cursor: string, limit: number, wokenBy: string): Promise<AnswerBody> {
    const key = JSON.stringify([channel, cursor, limit, wokenBy]);
    let answer = this.reading.get(key);
    if (!answer) {
      answer = this.read(channel, cursor, limit).finally(() => this.reading.delete(key));
      this.reading.set(key, answer);
    }
    return answer;
  }

  private async read(channel: string, cursor: string, limit: number): Promise<AnswerBody> {
    const page = await this.log.readSerialized(channel, cursor, limit);
    return { body: Buffer.from(pageJson(page)), events: page.events.length };
  }
}
