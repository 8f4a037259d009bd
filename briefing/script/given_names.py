"""Common given names, by the gender they usually signal (a hint, overridden by pronouns)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MALE_NAMES = _words(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony antony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
    brandon benjamin samuel gregory frank alexander raymond patrick jack dennis jerry tyler aaron
    jose adam henry nathan douglas zachary peter kyle walter ethan jeremy harold keith christian
    roger noah gerald carl terry sean austin arthur lawrence jesse dylan bryan joe jordan billy
    bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah
    louis bobby philip johnny bill mike tom jim bob dan ben sam tim ted chuck rick ron steve tony
    vladimir xi emmanuel olaf rishi keir boris justin narendra recep volodymyr benjamin mohammed
    muhammad ahmed ali omar hassan ivan sergei dmitry pierre jean jacques luis carlos miguel pedro
    diego javier antonio giuseppe marco giorgio hans klaus jurgen lars anders erik mateo lionel
    cristiano kylian lebron tiger rafael novak roger elon jeff warren tim satya sundar jensen
    hunter kamal rahul amit raj wei hiroshi kenji takeshi min jun liam oliver harry charlie
    jamie callum declan conor sean rory owen gavin neil ian graham nigel simon colin martin kurt
    chris nick matt andy pete greg doug hank joel ed eddie fred ted ned al hal sal gil lloyd marcus
    darius andre malik tariq yusuf leo luca hugo felix oscar max theo arthur alfie archie freddie
    jake luke josh adrian victor hector oscar ruben ramon raul sergio andres fernando alejandro
    rodrigo pablo manuel francisco jorge ricardo eduardo roberto mario paolo stefano matteo
    lorenzo andrea francesco alessandro thierry olivier nicolas francois laurent philippe
    michel christophe stephane julien mathieu wolfgang dieter stefan matthias andreas markus
    sven bjorn nils jan piotr pavel tomas viktor oleksandr andriy yuri alexei mikhail nikolai
    kwame kofi chinedu emeka tunde femi olu musa ibrahim abdullah khalid mustafa youssef karim
    rami samir amir reza arjun vijay sanjay rajesh anil suresh ravi vikram deepak hiroshi
    takashi haruki jin hyun seung kevin dwayne darnell jamal tyrone deshawn lamar trevor
    shane brett chad dustin travis cody wyatt colton"""
)
FEMALE_NAMES = _words(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
    heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith
    megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
    jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle
    theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla kamala
    hillary nancy ursula angela theresa jacinda giorgia liz priti suella nicola ruth serena venus
    simone naomi coco taylor beyonce oprah sheryl marissa janet christine kristalina ngozi
    claudia sonia sofia lucia elena ana carmen isabel ines chloe camille marine ségolène anne
    brigitte ingrid greta annalena fatima aisha amina layla yasmin priya anjali sunita mei ling
    yuki akiko hana jiwon soo sinead siobhan aoife niamh fiona kirsty morag gemma hayley kate
    jane jill meg beth kim pat sue val tina gina nina lena dana erin tara leah zoe ella mia ava
    rosa aryna iga elena irina olga natalia svetlana tatiana oksana yulia anastasia ekaterina
    agnieszka katarzyna magdalena eva ewa petra jana lucie marta paula lucia valentina giulia
    francesca chiara alessandra federica sabine ursula heike petra anke birgit katrin annika
    astrid ingrid sigrid helga freja maja elif ayse zeynep fatma leila mariam noor samira
    amara chioma ngozi adaeze folake yetunde wanjiru akua abena efua kemi funmilayo keisha
    latisha tanya tonya crystal brandy misty amber destiny jade ebony shanice aaliyah imani
    gloria margarita guadalupe alejandra veronica mariana daniela gabriela fernanda valeria
    ximena renata jimena lourdes pilar montserrat nuria begona
    lily ruby freya amelia harriet imogen keisha tamika latoya shanice jasmine maya nadia"""
)
