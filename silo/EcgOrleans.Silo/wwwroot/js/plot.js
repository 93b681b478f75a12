// What every uPlot on the page shares: size that follows its container, fonts, the beat's time axis and the R-peak line.

import uPlot from '../lib/uplot/uPlot.esm.js';
import { axisLabel } from './axis.js';

export const PLOT_HEIGHT = 220;
const FONT = { font: '11px system-ui, sans-serif', labelFont: '11px system-ui, sans-serif', labelSize: 14 };

export const timeAxis = axis => ({ label: axisLabel(axis), size: 34, ...FONT });
export const valueAxis = (label, extra = {}) => ({ label, size: 46, ...FONT, ...extra });

/** A dashed vertical line at 0 ms (the R peak), drawn over the series. */
export function drawRPeak(u) {
  if (u.scales.x.min > 0 || u.scales.x.max < 0) return;
  const x = Math.round(u.valToPos(0, 'x', true));
  const { top, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = 'rgba(31, 41, 51, 0.45)';
  ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, top + height);
  ctx.stroke();
  ctx.restore();
}

/**
 * A uPlot in `container`, as wide as it and PLOT_HEIGHT tall, resized with it. After each draw, `onDrawn(u)` lets
 * the owner copy what was drawn (scale ranges) into data attributes that tests and people can read.
 */
export function createPlot(container, options, seriesCount, onDrawn) {
  const width = () => Math.max(240, Math.floor(container.getBoundingClientRect().width));
  const hooks = { ...(options.hooks ?? {}) };
  hooks.draw = [...(hooks.draw ?? []), drawRPeak, u => onDrawn?.(u)];
  const plot = new uPlot({ ...options, width: width(), height: PLOT_HEIGHT, legend: { show: false }, hooks },
    Array.from({ length: seriesCount }, () => []), container);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: PLOT_HEIGHT }));
  resize.observe(container);
  return {
    plot,
    dispose() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
