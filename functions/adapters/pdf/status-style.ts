import type { Status } from '../../core/catalog/catalog-schema.ts';

/**
 * How each status looks in print. Colours differ in lightness as well as hue and every
 * status also carries its name and a mark, so a grey-scale print stays readable.
 */
export interface StatusStyle {
  readonly cls: string;
  readonly color: string;
  readonly mark: string;
}

export const STATUS_STYLE: Readonly<Record<Status, StatusStyle>> = {
  超进度: { cls: 'st-ahead', color: '#1b5e20', mark: '▲' },
  达进度: { cls: 'st-on', color: '#43a047', mark: '●' },
  欠进度: { cls: 'st-behind', color: '#f9a825', mark: '▼' },
  严重滞后: { cls: 'st-serious', color: '#c62828', mark: '×' },
  逾期未完成: { cls: 'st-overdue', color: '#4a148c', mark: '◆' },
  未报送: { cls: 'st-missing', color: '#9e9e9e', mark: '○' },
  已完成: { cls: 'st-done', color: '#1565c0', mark: '★' },
  未到期: { cls: 'st-not-due', color: '#607d8b', mark: '◇' },
  本期不判定: { cls: 'st-not-judged', color: '#90a4ae', mark: '–' },
};
