import { useEffect, useRef, useState } from 'react';
import { LessonList } from './LessonStart.tsx';
import '../lessons/lessons.css';

export interface HelpActionsProps {
  readonly lessonOpen: boolean;
  readonly glossaryOpen: boolean;
  readonly onStartLesson: (name: string) => void;
  readonly onGlossary: () => void;
  readonly onShare: () => void;
}

/** The header's Lessons menu, Glossary and Share / classroom link buttons. */
export function HelpActions({ lessonOpen, glossaryOpen, onStartLesson, onGlossary, onShare }: HelpActionsProps) {
  const [menu, setMenu] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const onDown = (e: PointerEvent) => {
      if (box.current && e.target instanceof Node && !box.current.contains(e.target)) setMenu(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenu(false);
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [menu]);
  return (
    <nav className="help-actions" aria-label="Lessons and help">
      <div className="help-menu" ref={box}>
        <button type="button" data-testid="lessons-button" className={lessonOpen || menu ? 'active' : ''} aria-expanded={menu} onClick={() => setMenu(!menu)}>
          Lessons
        </button>
        {menu && (
          <div className="help-popover" data-testid="lessons-menu">
            <LessonList
              testPrefix="lessons-menu"
              onStart={(name) => {
                setMenu(false);
                onStartLesson(name);
              }}
            />
          </div>
        )}
      </div>
      <button type="button" data-testid="glossary-button" className={glossaryOpen ? 'active' : ''} title="What the words on this page mean" onClick={onGlossary}>
        Glossary
      </button>
      <button type="button" data-testid="share-button" title="A link to this experiment, with controls hidden for a class" onClick={onShare}>
        Share / classroom link
      </button>
    </nav>
  );
}
