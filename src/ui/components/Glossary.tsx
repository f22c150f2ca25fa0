import { useEffect, useRef } from 'react';
import { findTerm, GLOSSARY } from '../lessons/glossary.ts';
import { parseRich } from '../lessons/template.ts';
import '../lessons/lessons.css';

/** Filled lesson text: **bold** and [[term]] links that open the glossary at that entry. */
export function TermText({ text, onTerm }: { text: string; onTerm: (id: string) => void }) {
  return (
    <>
      {parseRich(text).map((s, i) => {
        if (s.kind === 'text') return <span key={i}>{s.text}</span>;
        if (s.kind === 'strong') return <b key={i}>{s.text}</b>;
        const entry = findTerm(s.term);
        if (!entry) return <span key={i}>{s.text}</span>;
        // a span, not a button, so a term wraps with the words around it
        return (
          <span
            key={i}
            role="button"
            tabIndex={0}
            className="term-link"
            data-term={entry.id}
            title={entry.meaning}
            onClick={() => onTerm(entry.id)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' && e.key !== ' ') return;
              e.preventDefault();
              onTerm(entry.id);
            }}
          >
            {s.text}
          </span>
        );
      })}
    </>
  );
}

export interface GlossaryProps {
  /** the entry to show first and mark, or null for the whole list */
  readonly focus: string | null;
  readonly onClose: () => void;
}

/** Every term the page and the lessons use, one meaning each, and where it shows. */
export function Glossary({ focus, onClose }: GlossaryProps) {
  const list = useRef<HTMLDListElement>(null);
  useEffect(() => {
    if (!focus) return;
    list.current?.querySelector(`[data-entry="${focus}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focus]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside className="glossary" data-testid="glossary" role="dialog" aria-label="Glossary">
      <header className="glossary-head">
        <h2>Glossary</h2>
        <button type="button" className="quiet" data-testid="glossary-close" aria-label="Close the glossary" onClick={onClose}>
          ×
        </button>
      </header>
      <dl ref={list}>
        {GLOSSARY.map((e) => (
          <div key={e.id} className={`glossary-entry${e.id === focus ? ' focused' : ''}`} data-entry={e.id} data-testid={`glossary-${e.id}`}>
            <dt>{e.term}</dt>
            <dd>
              <p>{e.meaning}</p>
              <p className="glossary-where">
                <span>On the page:</span> {e.where}
              </p>
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
